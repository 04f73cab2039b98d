import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ReachableSecret } from '../github/exposure-actions';
import type { ActionHandler } from '../registry';
import type { ActionContext, ActionEffects } from '../types';
import { awsFailure, isNoSuchEntity } from './errors';
import { locationId, mapSecrets, secretLocations } from './identities';
import type { Inventory } from '../../config/aws-inventory';

/** Input of `aws.revokeRoleSessions`. */
export interface RevokeSessionsInput {
  targets: ReachableSecret | ReachableSecret[] | null;
}

/** One role whose sessions the plan revokes. */
export interface RoleItem {
  role: string;
  policyName: string;
  secrets: string[];
}

/** A role whose older sessions are denied, and from when. */
export interface RevokedRole {
  role: string;
  policyName: string;
  /** Sessions issued before this instant are denied everything. */
  revokedBefore: string;
}

/** The inline policy's name: one per incident, so a retry or a second incident never overwrites another's. */
export function revocationPolicyName(ctx: Pick<ActionContext, 'incidentId'>): string {
  return `cordon-revoke-sessions-${ctx.incidentId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 128);
}

/**
 * AWS's documented way to revoke a role's temporary credentials: an inline policy denying everything to sessions
 * whose token was issued before the revocation time.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 */
export function revocationPolicy(revokedBefore: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': revokedBefore } },
      },
    ],
  });
}

/** The time an existing revocation policy denies sessions before, or undefined when the role has none. */
async function existingRevocation(iam: IAMClient, role: string, policyName: string): Promise<string | undefined> {
  try {
    const r = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: policyName }));
    const doc = JSON.parse(decodeURIComponent(r.PolicyDocument ?? '{}')) as {
      Statement?: Array<{ Condition?: { DateLessThan?: Record<string, string> } }>;
    };
    return doc.Statement?.[0]?.Condition?.DateLessThan?.['aws:TokenIssueTime'] ?? new Date(0).toISOString();
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    throw awsFailure(err, `get policy ${policyName} of role ${role}`);
  }
}

/**
 * `aws.revokeRoleSessions`: denies every session of the roles behind exposed secrets issued before now, so
 * credentials a compromised run obtained stop working while new sessions (after rotation) work. A retry keeps the
 * revocation time the first try wrote. Effects `{ revoked, sessionsRevoked }`.
 */
export function revokeRoleSessions(deps: {
  iam: IAMClient;
  inventory: Inventory;
}): ActionHandler<RevokeSessionsInput, RoleItem> {
  return {
    async plan(input, ctx) {
      const map = await mapSecrets(deps.iam, deps.inventory, secretLocations(input.targets));
      const items: RoleItem[] = [];
      const missingRoles: string[] = [];
      const policyName = revocationPolicyName(ctx);
      for (const r of map.roles) {
        try {
          await deps.iam.send(new GetRoleCommand({ RoleName: r.role }));
        } catch (err) {
          if (!isNoSuchEntity(err)) throw awsFailure(err, `get role ${r.role}`);
          missingRoles.push(r.role);
          continue;
        }
        items.push({ role: r.role, policyName, secrets: r.secrets.map(locationId) });
      }
      return {
        summary:
          `revoke the active sessions of ${items.length} IAM role${items.length === 1 ? '' : 's'} ` +
          `(inline deny policy ${policyName} on aws:TokenIssueTime before the revocation time; undo removes it)`,
        items,
        irreversible: false,
        details: { missingRoles, users: map.users.length, rotateByHand: map.rotateByHand.length },
      };
    },
    async apply(plan) {
      const revoked: RevokedRole[] = [];
      for (const item of plan.items) {
        let revokedBefore = await existingRevocation(deps.iam, item.role, item.policyName);
        if (!revokedBefore) {
          revokedBefore = new Date().toISOString();
          const doc = revocationPolicy(revokedBefore);
          try {
            await deps.iam.send(
              new PutRolePolicyCommand({ RoleName: item.role, PolicyName: item.policyName, PolicyDocument: doc }),
            );
          } catch (err) {
            throw awsFailure(err, `put policy ${item.policyName} on role ${item.role}`);
          }
        }
        revoked.push({ role: item.role, policyName: item.policyName, revokedBefore });
      }
      return { revoked, sessionsRevoked: revoked.length };
    },
  };
}

/** `aws.restoreRoleSessions`, the undo: removes the revocation policies the apply wrote (already gone is fine). */
export function restoreRoleSessions(deps: { iam: IAMClient }): ActionHandler {
  return {
    async undo(effects: ActionEffects) {
      const restored: string[] = [];
      for (const r of (effects.revoked as RevokedRole[] | undefined) ?? []) {
        try {
          await deps.iam.send(new DeleteRolePolicyCommand({ RoleName: r.role, PolicyName: r.policyName }));
          restored.push(r.role);
        } catch (err) {
          if (!isNoSuchEntity(err)) throw awsFailure(err, `delete policy ${r.policyName} of role ${r.role}`);
        }
      }
      return { restored };
    },
  };
}
