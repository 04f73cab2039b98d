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

/**
 * Turns action handlers into Temporal activities named `<action>:run|plan|apply|undo`.
 * `apply` refuses a plan whose hash is not the approved one: the workflow already guarantees it, and this check
 * keeps an activity called by anything else from applying an unapproved plan.
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
        return h.apply!(call.plan, call.ctx);
      };
    }
    if (h.undo) out[`${name}:undo`] = (arg) => h.undo!((arg as UndoCall).effects, (arg as UndoCall).input, arg.ctx);
  }
  return out;
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
