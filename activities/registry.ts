import { ApplicationFailure } from '@temporalio/common';
import type { ActionCatalog } from '../domain/actions';
import { hashJson } from '../domain/canonical-json';
import { endpointLabel, type ActionReach } from '../domain/preflight';
import type {
  ActionActivity,
  ActionCall,
  ActionContext,
  ActionEffects,
  ActionPlan,
  ApplyCall,
  UndoCall,
} from './types';
import { FailureType } from '../domain/failures';
import { withHeartbeat } from './heartbeat';

/** An action's implementation. Read-only actions have `run`; mutating ones `plan` and `apply`, and `undo` if reversible. */
export interface ActionHandler<Input = Record<string, unknown>, Item = unknown> {
  run?(input: Input, ctx: ActionContext): Promise<unknown>;
  plan?(input: Input, ctx: ActionContext): Promise<ActionPlan<Item>>;
  apply?(plan: ActionPlan<Item>, ctx: ActionContext): Promise<ActionEffects>;
  undo?(effects: ActionEffects, input: Record<string, unknown>, ctx: ActionContext): Promise<ActionEffects>;
}

/**
 * Any action's handler, whatever its input and item types: what a worker registers and the catalog check reads.
 * `Input` is `never` because a handler of a narrower input still accepts what the workflow hands it (inputs are
 * validated by the playbook schema, not here); `Item` is `unknown` so a typed plan widens to it (its methods compare
 * bivariantly, so a handler typed for its own items still fits).
 */
export type AnyActionHandler = ActionHandler<never, unknown>;

/** Handlers by action name. Factories return their own precisely typed record; it widens to this without a cast. */
export type ActionHandlers = Record<string, AnyActionHandler>;

/** For a handler that calls systems outside cordon: those systems, and for a drill which endpoints are sandboxes. */
export type HandlerReach = ActionReach;

// Kept beside the handler objects rather than in them, so a handler replaced by another (a drill or test handler
// spread over the worker's) loses its reach with it.
const reaches = new WeakMap<object, HandlerReach>();

/**
 * Records which systems a handler calls: the worker wiring does it for the handlers it builds from configuration
 * (worker/handlers.ts), so pre-flight and the drill guard know them. Returns the handlers.
 */
export function markReach(
  handlers: ActionHandlers,
  reachOf: (action: string) => HandlerReach | undefined,
): ActionHandlers {
  for (const [name, h] of Object.entries(handlers)) {
    const r = reachOf(name);
    if (r) reaches.set(h, r);
  }
  return handlers;
}

/** The systems a handler calls, when the wiring recorded them; undefined for handlers that reach nothing outside. */
export function reachOf(handler: object | undefined): HandlerReach | undefined {
  return handler ? reaches.get(handler) : undefined;
}

/**
 * Refuses, before calling anything, a drill step whose handler would reach a system that is not a sandbox: pre-flight
 * refuses such a drill at declaration, and this keeps incidents that predate pre-flight (or a worker reconfigured
 * since) from changing real systems in a drill.
 */
function guardDrill(name: string, h: ActionHandler, ctx: ActionContext): void {
  if (!ctx.drill) return;
  const reach = reachOf(h);
  for (const sys of reach?.systems ?? []) {
    if (!sys.configured) continue;
    const real = sys.endpoints.find((e) => !reach!.isSandbox(e));
    if (real)
      throw ApplicationFailure.create({
        type: FailureType.DrillRealEndpoint,
        message: `${name}: a drill may only call sandboxes, and ${sys.system} is ${endpointLabel(real)}`,
        nonRetryable: true,
      });
  }
}

/**
 * Turns action handlers into Temporal activities named `<action>:run|plan|apply|undo`.
 * `apply` refuses a plan whose hash is not the approved one: the workflow already guarantees it, and this check
 * keeps an activity called by anything else from applying an unapproved plan. `apply` and `undo` heartbeat while they
 * run and pass the attempt's cancellation to the handler as `ctx.signal` (see `withHeartbeat`).
 */
export function actionActivities(handlers: ActionHandlers): Record<string, ActionActivity> {
  const out: Record<string, ActionActivity> = {};
  for (const [name, h] of Object.entries(handlers) as [string, ActionHandler][]) {
    if (h.run)
      out[`${name}:run`] = async (arg) => {
        guardDrill(name, h, arg.ctx);
        return h.run!((arg as ActionCall).input, arg.ctx);
      };
    if (h.plan)
      out[`${name}:plan`] = async (arg) => {
        guardDrill(name, h, arg.ctx);
        return h.plan!((arg as ActionCall).input, arg.ctx);
      };
    if (h.apply) {
      out[`${name}:apply`] = async (arg) => {
        const call = arg as ApplyCall;
        guardDrill(name, h, call.ctx);
        if (!call.batch && hashJson(call.plan) !== call.planHash) {
          throw ApplicationFailure.create({
            type: FailureType.PlanHashMismatch,
            message: `${name}: refusing to apply a plan whose hash is not the approved ${call.planHash}`,
            nonRetryable: true,
          });
        }
        return withHeartbeat((signal) => h.apply!(call.plan, withSignal(call.ctx, signal)));
      };
    }
    if (h.undo) {
      out[`${name}:undo`] = (arg) => {
        const call = arg as UndoCall;
        guardDrill(name, h, call.ctx);
        return withHeartbeat((signal) => h.undo!(call.effects, call.input, withSignal(call.ctx, signal)));
      };
    }
  }
  return out;
}

function withSignal(ctx: ActionContext, signal: AbortSignal | undefined): ActionContext {
  return signal ? { ...ctx, signal } : ctx;
}

/**
 * Catalog actions a set of handlers cannot serve: a read-only action needs `run`; a mutating one `plan` and `apply`,
 * or `undo` when it only ever reverses another step. A worker missing one would leave incidents retrying an
 * activity nobody registered, so the worker refuses to start instead.
 */
export function missingHandlers(catalog: ActionCatalog, handlers: ActionHandlers): string[] {
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(catalog)) {
    const h = handlers[name] as ActionHandler | undefined;
    const ok = spec.mutates ? Boolean((h?.plan && h.apply) || h?.undo) : Boolean(h?.run);
    if (!ok) missing.push(name);
  }
  return missing;
}
