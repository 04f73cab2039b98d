import { hashJson } from '../../domain/canonical-json';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../../domain/actions';
import type { ActionHandler, ActionHandlers } from '../registry';
import type { ActionContext, ActionEffects, ActionPlan } from '../types';
import type { DrillLedger } from './ledger';

export { DrillLedger } from './ledger';

/** A change a drill action would make to one target. */
export interface DrillItem {
  target: unknown;
  change: string;
}

function targetsOf(input: Record<string, unknown>): unknown[] {
  const t = input.targets;
  if (t === null || t === undefined) return [];
  return Array.isArray(t) ? t : [t];
}

const itemKey = (ctx: ActionContext, action: string, op: string, item: unknown): string =>
  `${ctx.idempotencyKey}/${action}/${op}/${hashJson(item).slice(0, 16)}`;

/**
 * A drill implementation of a mutating action: its plan lists one change per target given in `inputs.targets`,
 * and apply records each change in the drill ledger (exactly once per item) without touching anything outside
 * cordon. Every effect says `drill: true` so no report mistakes it for a real change.
 */
export function drillAction(
  action: string,
  verb: string,
  ledger: DrillLedger,
  irreversible: boolean,
): ActionHandler<Record<string, unknown>, DrillItem> {
  return {
    async plan(input) {
      const items = targetsOf(input).map((target) => ({ target, change: verb }));
      const plan: ActionPlan<DrillItem> = {
        summary: `[drill] ${verb} ${items.length} target(s)`,
        items,
        irreversible,
        details: { drill: true },
      };
      return plan;
    },
    async apply(plan, ctx) {
      let changed = 0;
      for (const item of plan.items) {
        if (ledger.record({ key: itemKey(ctx, action, 'apply', item), action, op: 'apply', item })) changed++;
      }
      return {
        drill: true,
        changed,
        alreadyApplied: plan.items.length - changed,
        items: plan.items,
        ledger: ledger.file,
      };
    },
    async undo(effects: ActionEffects, _input, ctx) {
      const items = (effects.items as DrillItem[] | undefined) ?? [];
      let undone = 0;
      for (const item of items) {
        if (ledger.record({ key: itemKey(ctx, action, 'undo', item), action, op: 'undo', item })) undone++;
      }
      return { drill: true, undone };
    },
  };
}

const VERBS: Record<string, string> = {
  'github.disableWorkflows': 'disable workflow',
  'github.enableWorkflows': 're-enable workflow',
  'github.purgeRunArtifacts': 'delete artifacts, caches and logs of run',
  'github.openPinPullRequests': 'open pin pull request in',
  'github.closePinPullRequests': 'close pin pull request in',
  'aws.rotateAccessKeys': 'rotate access keys behind secret',
  'aws.reactivateAccessKeys': 're-activate previous access key for',
  'aws.revokeRoleSessions': 'revoke sessions of role behind',
  'aws.restoreRoleSessions': 'remove session-revocation policy for',
  'github.revokeTokens': 'revoke token or key',
  'github.rollbackDeployments': 'roll back deployment of',
  'github.restoreDeployments': 'restore deployment of',
  'notify.sendPackets': 'send notification packet to',
};

/** What the drill activities need. */
export interface DrillActivityDeps {
  /** Where drill changes are recorded (exactly once per item). */
  ledger: DrillLedger;
  /** Whose `implementation: 'drill'` mutating actions to serve. @default DEFAULT_ACTIONS */
  catalog?: ActionCatalog;
}

/** Drill handlers for every catalog action whose real implementation has not landed yet. */
export function createDrillActivities({ ledger, catalog = DEFAULT_ACTIONS }: DrillActivityDeps): ActionHandlers {
  const out: ActionHandlers = {};
  for (const [name, spec] of Object.entries(catalog)) {
    if (spec.implementation !== 'drill' || !spec.mutates) continue;
    out[name] = drillAction(name, VERBS[name] ?? name, ledger, spec.irreversible ?? false);
  }
  return out;
}
