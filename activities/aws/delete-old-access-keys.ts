import {
  DeleteAccessKeyCommand,
  ListAccessKeysCommand,
  type AccessKeyMetadata,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { ActionHandler } from '../registry';
import { awsFailure, isNoSuchEntity } from './errors';
import type { RotatedUser } from './rotate-access-keys';

/** Input of `aws.deleteOldAccessKeys`: the `rotated` effects of `aws.rotateAccessKeys`. */
export interface DeleteOldKeysInput {
  rotated: RotatedUser[] | null;
}

/** One deactivated key to delete. */
export interface OldKeyItem {
  user: string;
  keyId: string;
  /** The key that replaced it, checked active before deleting. */
  newKeyId: string;
}

/**
 * `aws.deleteOldAccessKeys`: after the grace period, deletes the keys a rotation deactivated. Irreversible. The
 * plan skips a key someone re-activated (the undo, or a human who found it still needed) and a user whose new
 * key is not active, so no user is left without a working key. Effects `{ deleted, alreadyGone }`.
 */
export function deleteOldAccessKeys(deps: { iam: IAMClient }): ActionHandler<DeleteOldKeysInput, OldKeyItem> {
  return {
    async plan(input) {
      const items: OldKeyItem[] = [];
      const kept: Array<{ user: string; keyId: string; reason: string }> = [];
      for (const r of input.rotated ?? []) {
        let keys: AccessKeyMetadata[];
        try {
          keys = (await deps.iam.send(new ListAccessKeysCommand({ UserName: r.user }))).AccessKeyMetadata ?? [];
        } catch (err) {
          if (!isNoSuchEntity(err)) throw awsFailure(err, `list access keys of ${r.user}`);
          keys = [];
        }
        const status = new Map(keys.map((k) => [k.AccessKeyId!, k.Status]));
        for (const keyId of r.deactivated) {
          const s = status.get(keyId);
          if (s === undefined) continue;
          if (s === 'Active') kept.push({ user: r.user, keyId, reason: 'active again: kept' });
          else if (status.get(r.newKeyId) !== 'Active')
            kept.push({ user: r.user, keyId, reason: `new key ${r.newKeyId} is not active: kept` });
          else items.push({ user: r.user, keyId, newKeyId: r.newKeyId });
        }
      }
      return {
        summary: `IRREVERSIBLE: delete ${items.length} deactivated access key${items.length === 1 ? '' : 's'} after the grace period`,
        items,
        irreversible: true,
        details: { kept },
      };
    },
    async apply(plan) {
      const deleted: Array<{ user: string; keyId: string }> = [];
      const alreadyGone: Array<{ user: string; keyId: string }> = [];
      for (const i of plan.items) {
        try {
          await deps.iam.send(new DeleteAccessKeyCommand({ UserName: i.user, AccessKeyId: i.keyId }));
          deleted.push({ user: i.user, keyId: i.keyId });
        } catch (err) {
          if (!isNoSuchEntity(err)) throw awsFailure(err, `delete access key ${i.keyId} of ${i.user}`);
          alreadyGone.push({ user: i.user, keyId: i.keyId });
        }
      }
      return { deleted, alreadyGone, keysDeleted: deleted.length };
    },
  };
}
