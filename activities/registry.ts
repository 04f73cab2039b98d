import { ApplicationFailure } from '@temporalio/common';
import type { ActionCatalog } from '../domain/actions';
import { hashJson } from '../domain/canonical-json';
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

/** Handlers by action name. */
export type ActionHandlers = Record<string, ActionHandler<never, never>>;

/**
 * Turns action handlers into Temporal activities named `<action>:run|plan|apply|undo`.
 * `apply` refuses a plan whose hash is not the approved one: the workflow already guarantees it, and this check
 * keeps an activity called by anything else from applying an unapproved plan. `apply` and `undo` heartbeat while they
 * run and pass the attempt's cancellation to the handler as `ctx.signal` (see `withHeartbeat`).
 */
export function actionActivities(handlers: ActionHandlers): Record<string, ActionActivity> {
  const out: Record<string, ActionActivity> = {};
  for (const [name, h] of Object.entries(handlers) as [string, ActionHandler][]) {
    if (h.run) out[`${name}:run`] = (arg) => h.run!((arg as ActionCall).input, arg.ctx);
    if (h.plan) out[`${name}:plan`] = (arg) => h.plan!((arg as ActionCall).input, arg.ctx);
    if (h.apply) {
      out[`${name}:apply`] = async (arg) => {
        const call = arg as ApplyCall;
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
