import { createHash } from 'node:crypto';
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { GitHubClient } from '../github/client';
import type { ReachableSecret } from '../github/exposure-actions';
import type { ActionHandler } from '../registry';
import type { ActionContext, ActionEffects, ActionPlan } from '../types';
import { awsFailure, iamCall, isNoSuchEntity } from './errors';
import { writeActionsSecret } from './github-secrets';
import {
  locationId,
  mapSecrets,
  secretLocations,
  type IdentityMap,
  type KeySecret,
  type SecretLocation,
} from './identities';
import type { Inventory } from '../../config/aws-inventory';

/** Input of `aws.rotateAccessKeys`. */
export interface RotateInput {
  /** Exposed secrets, as `github.collectCiExposure` reports them. */
  targets: ReachableSecret | ReachableSecret[] | null;
  /** Delete the console login profile of users the inventory marks human; otherwise the plan only lists them. */
  deleteLoginProfiles?: boolean;
}

/** An access key as the plan saw it. Ids and dates only. */
export interface PlannedKey {
  id: string;
  status: string;
  created: string | null;
  /** Day the key was last used (day precision, so a key in use does not change the plan every minute). */
  lastUsed: string | null;
}

/** The rotation of one user's access key. */
export interface RotationItem {
  user: string;
  human: boolean;
  /** The user's keys when planned; any other key found at apply time was not approved and is not kept. */
  keys: PlannedKey[];
  /** At the two-key limit: the key deactivated and deleted first to make room for the new one. */
  makeRoom?: { id: string; reason: string };
  /** Keys deactivated once the new key is in every GitHub secret (deleted after the grace period). */
  deactivate: string[];
  /** The GitHub secrets that receive the new key. */
  secrets: KeySecret[];
  /** The console login profile: deleted only when the playbook enables it. */
  loginProfile: 'none' | 'delete' | 'keep';
}

/** What one user's rotation did: key ids and a fingerprint of the new secret key, never a secret. */
export interface RotatedUser {
  user: string;
  newKeyId: string;
  /** First 16 hex digits of SHA-256 of the new secret access key: proves which key GitHub holds, reveals nothing. */
  fingerprint: string;
  deactivated: string[];
  deletedToMakeRoom: string[];
  /** Keys not in the approved plan found at apply time (a crashed earlier try's key): deleted, never kept. */
  discarded: string[];
  secretsUpdated: string[];
  loginProfileDeleted: boolean;
}

/** Dependencies of the AWS key actions. */
export interface AwsKeyDeps {
  iam: IAMClient;
  octokit: GitHubClient;
  inventory: Inventory;
}

/** Fingerprint of a secret access key (see `RotatedUser.fingerprint`). */
export function keyFingerprint(secretAccessKey: string): string {
  return createHash('sha256').update(secretAccessKey).digest('hex').slice(0, 16);
}

/** The user tag that records this rotation's new key, so a retry after a crash finds it instead of making another. */
export function rotationTagKey(ctx: ActionContext, user: string): string {
  return `cordon:rotation:${createHash('sha256').update(`${ctx.idempotencyKey}\n${user}`).digest('hex').slice(0, 16)}`;
}

const day = (d: Date | undefined): string | null => (d ? d.toISOString().slice(0, 10) : null);

async function listKeys(iam: IAMClient, user: string) {
  const r = await iamCall(`list access keys of ${user}`, () => iam.send(new ListAccessKeysCommand({ UserName: user })));
  return r.AccessKeyMetadata ?? [];
}

/** The user's keys with their last use, or undefined when the user does not exist (any more). */
async function plannedKeys(iam: IAMClient, user: string): Promise<PlannedKey[] | undefined> {
  let keys;
  try {
    keys = (await iam.send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? [];
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    throw awsFailure(err, `list access keys of ${user}`);
  }
  const out: PlannedKey[] = [];
  for (const k of keys) {
    const used = await iamCall(`last use of ${k.AccessKeyId}`, () =>
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.AccessKeyId })),
    );
    out.push({
      id: k.AccessKeyId!,
      status: k.Status ?? 'Active',
      created: k.CreateDate ? k.CreateDate.toISOString() : null,
      lastUsed: day(used.AccessKeyLastUsed?.LastUsedDate),
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * IAM allows two access keys per user (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
 * at the limit, one must go before the new one is created. An inactive key goes first (it works for nobody);
 * otherwise the least recently used one, so the key CI uses keeps working until the new one replaces it.
 */
function roomFor(keys: PlannedKey[]): RotationItem['makeRoom'] {
  if (keys.length < 2) return undefined;
  const inactive = keys.find((k) => k.status !== 'Active');
  if (inactive) return { id: inactive.id, reason: 'two-key limit: inactive key deleted first' };
  const lru = [...keys].sort(
    (a, b) => (a.lastUsed ?? '').localeCompare(b.lastUsed ?? '') || a.id.localeCompare(b.id),
  )[0]!;
  return { id: lru.id, reason: 'two-key limit: least recently used active key deactivated and deleted first' };
}

async function hasLoginProfile(iam: IAMClient, user: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: user }));
    return true;
  } catch (err) {
    if (isNoSuchEntity(err)) return false;
    throw awsFailure(err, `get login profile of ${user}`);
  }
}

/** The plan: one item per mapped user still in IAM; secrets nothing maps to stay in the details for humans. */
export async function planRotation(
  deps: AwsKeyDeps,
  input: RotateInput,
): Promise<ActionPlan<RotationItem> & { details: Record<string, unknown> }> {
  const map: IdentityMap = await mapSecrets(deps.iam, deps.inventory, secretLocations(input.targets));
  const items: RotationItem[] = [];
  const rotateByHand: Array<SecretLocation & { reason: string }> = [...map.rotateByHand];
  const consoleAccess: Array<{ user: string; action: string }> = [];
  for (const u of map.users) {
    const keys = await plannedKeys(deps.iam, u.user);
    if (!keys) {
      for (const s of u.secrets) rotateByHand.push({ ...s, reason: `IAM user ${u.user} does not exist` });
      continue;
    }
    const profile = u.human && (await hasLoginProfile(deps.iam, u.user));
    const loginProfile = !profile ? 'none' : input.deleteLoginProfiles ? 'delete' : 'keep';
    if (profile) consoleAccess.push({ user: u.user, action: loginProfile === 'delete' ? 'delete' : 'plan only' });
    const makeRoom = roomFor(keys);
    items.push({
      user: u.user,
      human: u.human,
      keys,
      ...(makeRoom ? { makeRoom } : {}),
      deactivate: keys.filter((k) => k.id !== makeRoom?.id && k.status === 'Active').map((k) => k.id),
      secrets: u.secrets,
      loginProfile,
    });
  }
  const room = items.filter((i) => i.makeRoom);
  const profiles = items.filter((i) => i.loginProfile === 'delete');
  const secrets = items.reduce((n, i) => n + i.secrets.length, 0);
  return {
    summary:
      `rotate the access keys of ${items.length} IAM user${items.length === 1 ? '' : 's'} and update ${secrets} GitHub ` +
      `secret${secrets === 1 ? '' : 's'}; old keys deactivated now, deleted after the grace period` +
      (room.length
        ? `; IRREVERSIBLE: ${room.map((i) => `${i.makeRoom!.id} (${i.user})`).join(', ')} deleted first (two-key limit)`
        : '') +
      (profiles.length ? `; IRREVERSIBLE: console login of ${profiles.map((i) => i.user).join(', ')} deleted` : '') +
      (rotateByHand.length ? `; ${rotateByHand.length} secret(s) map to no AWS identity: rotate by hand` : ''),
    items,
    irreversible: room.length > 0 || profiles.length > 0,
    details: {
      users: items.length,
      secrets,
      roles: map.roles.map((r) => r.role),
      consoleAccess,
      rotateByHand,
    },
  };
}

function parseMarker(value: string | undefined): { keyId: string; stage: string; fingerprint: string } | undefined {
  const [keyId, stage, fingerprint] = (value ?? '').split(' ');
  return keyId && stage ? { keyId, stage, fingerprint: fingerprint ?? '' } : undefined;
}

async function deleteKey(iam: IAMClient, user: string, id: string): Promise<boolean> {
  try {
    await iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: id, Status: 'Inactive' }));
    await iam.send(new DeleteAccessKeyCommand({ UserName: user, AccessKeyId: id }));
    return true;
  } catch (err) {
    if (isNoSuchEntity(err)) return false;
    throw awsFailure(err, `delete access key ${id} of ${user}`);
  }
}

/**
 * Rotates one user's key, resumable at every point: the new key id is recorded in a user tag keyed by the call's
 * idempotency key as soon as it exists (`created`) and again once every secret holds it (`written`).
 * - `written`: a retry only finishes deactivating.
 * - anything else: any key the plan did not list (the new key of a try that crashed before `written`, whose
 *   secret is lost with that try) is deleted before creating one, so the user never holds three keys.
 * Old keys are deactivated only after GitHub holds the new one, so the user always has a working key.
 */
async function rotateUser(deps: AwsKeyDeps, item: RotationItem, ctx: ActionContext): Promise<RotatedUser> {
  const { iam } = deps;
  const tagKey = rotationTagKey(ctx, item.user);
  const tag = async (value: string) =>
    iamCall(`tag user ${item.user}`, () =>
      iam.send(new TagUserCommand({ UserName: item.user, Tags: [{ Key: tagKey, Value: value }] })),
    );
  const tags = await iamCall(`list tags of ${item.user}`, () =>
    iam.send(new ListUserTagsCommand({ UserName: item.user })),
  );
  const marker = parseMarker(tags.Tags?.find((t) => t.Key === tagKey)?.Value);
  const present = await listKeys(iam, item.user);
  const out: RotatedUser = {
    user: item.user,
    newKeyId: '',
    fingerprint: '',
    deactivated: [],
    deletedToMakeRoom: [],
    discarded: [],
    secretsUpdated: item.secrets.map(locationId),
    loginProfileDeleted: false,
  };
  if (marker?.stage === 'written' && present.some((k) => k.AccessKeyId === marker.keyId)) {
    out.newKeyId = marker.keyId;
    out.fingerprint = marker.fingerprint;
  } else {
    const planned = new Set(item.keys.map((k) => k.id));
    for (const k of present)
      if (!planned.has(k.AccessKeyId!) && (await deleteKey(iam, item.user, k.AccessKeyId!)))
        out.discarded.push(k.AccessKeyId!);
    if (item.makeRoom && present.some((k) => k.AccessKeyId === item.makeRoom!.id)) {
      if (await deleteKey(iam, item.user, item.makeRoom.id)) out.deletedToMakeRoom.push(item.makeRoom.id);
    }
    const created = await iamCall(`create access key for ${item.user}`, () =>
      iam.send(new CreateAccessKeyCommand({ UserName: item.user })),
    );
    const id = created.AccessKey!.AccessKeyId!;
    const secret = created.AccessKey!.SecretAccessKey!;
    out.newKeyId = id;
    out.fingerprint = keyFingerprint(secret);
    await tag(`${id} created`);
    for (const s of item.secrets) await writeActionsSecret(deps.octokit, s, s.field === 'accessKeyId' ? id : secret);
    await tag(`${id} written ${out.fingerprint}`);
  }
  for (const id of item.deactivate) {
    try {
      await iam.send(new UpdateAccessKeyCommand({ UserName: item.user, AccessKeyId: id, Status: 'Inactive' }));
      out.deactivated.push(id);
    } catch (err) {
      if (!isNoSuchEntity(err)) throw awsFailure(err, `deactivate access key ${id} of ${item.user}`);
    }
  }
  if (item.loginProfile === 'delete') {
    try {
      await iam.send(new DeleteLoginProfileCommand({ UserName: item.user }));
      out.loginProfileDeleted = true;
    } catch (err) {
      if (!isNoSuchEntity(err)) throw awsFailure(err, `delete login profile of ${item.user}`);
    }
  }
  return out;
}

/**
 * `aws.rotateAccessKeys`: for each IAM user behind an exposed secret, create a new key, write it straight into the
 * GitHub secrets (sealed box), then deactivate the old keys. Effects `{ rotated, rotateByHand }` hold key ids and
 * fingerprints only. Deletion of the deactivated keys is `aws.deleteOldAccessKeys`, after the playbook's grace delay.
 */
export function rotateAccessKeys(deps: AwsKeyDeps): ActionHandler<RotateInput, RotationItem> {
  return {
    plan: (input) => planRotation(deps, input),
    async apply(plan, ctx) {
      const rotated: RotatedUser[] = [];
      for (const item of plan.items) rotated.push(await rotateUser(deps, item, ctx));
      return {
        rotated,
        keysRotated: rotated.length,
        loginProfilesDeleted: rotated.filter((r) => r.loginProfileDeleted).map((r) => r.user),
        rotateByHand: (plan.details?.rotateByHand as unknown[] | undefined) ?? [],
      };
    },
  };
}

/**
 * `aws.reactivateAccessKeys`, the undo of a rotation before deletion: re-activates the keys the rotation
 * deactivated. Keys already deleted cannot come back and are reported as such. The new keys stay (GitHub holds them).
 */
export function reactivateAccessKeys(deps: Pick<AwsKeyDeps, 'iam'>): ActionHandler {
  return {
    async undo(effects: ActionEffects) {
      const reactivated: Array<{ user: string; keyId: string }> = [];
      const alreadyDeleted: Array<{ user: string; keyId: string }> = [];
      for (const r of (effects.rotated as RotatedUser[] | undefined) ?? [])
        for (const keyId of r.deactivated) {
          try {
            await deps.iam.send(new UpdateAccessKeyCommand({ UserName: r.user, AccessKeyId: keyId, Status: 'Active' }));
            reactivated.push({ user: r.user, keyId });
          } catch (err) {
            if (!isNoSuchEntity(err)) throw awsFailure(err, `re-activate access key ${keyId} of ${r.user}`);
            alreadyDeleted.push({ user: r.user, keyId });
          }
        }
      return { reactivated, alreadyDeleted };
    },
  };
}
