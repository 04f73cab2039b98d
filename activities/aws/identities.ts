import {
  paginateListRoles,
  paginateListUsers,
  ListRoleTagsCommand,
  ListUserTagsCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import type { ReachableSecret } from '../github/exposure-actions';
import { iamCall } from './errors';
import { inferField, type Inventory, type InventoryEntry, type KeyField } from '../../config/aws-inventory';

/** IAM tag naming the GitHub secrets that hold a user's key or a role: `NAME` or `owner/repo:NAME`, space-separated. */
export const SECRETS_TAG = 'cordon:github-secrets';
/** IAM tag marking a person's user (`true`): its console login profile is in scope. */
export const HUMAN_TAG = 'cordon:human';

/** Where one GitHub Actions secret lives. Names only: cordon never reads a secret's value. */
export interface SecretLocation {
  scope: 'repository' | 'environment' | 'organization';
  /** The organisation (owner of the repository). */
  org: string;
  /** `owner/name`; absent for organisation secrets. */
  repo?: string;
  environment?: string;
  name: string;
}

/** A secret holding one half of a user's access key. */
export type KeySecret = SecretLocation & { field: KeyField };

/** A user whose access keys exposed secrets hold. */
export interface MappedUser {
  user: string;
  human: boolean;
  via: 'inventory' | 'tag';
  secrets: KeySecret[];
}

/** A role exposed secrets let a run assume. */
export interface MappedRole {
  role: string;
  via: 'inventory' | 'tag';
  secrets: SecretLocation[];
}

/** Exposed secrets sorted by the identity behind them; the rest are for humans and are never dropped. */
export interface IdentityMap {
  users: MappedUser[];
  roles: MappedRole[];
  rotateByHand: Array<SecretLocation & { reason: string }>;
}

/** A stable id of a secret's location (org secrets once, however many repositories read them). */
export function locationId(l: SecretLocation): string {
  if (l.scope === 'organization') return `org:${l.org}:${l.name}`;
  if (l.scope === 'environment') return `env:${l.repo}:${l.environment}:${l.name}`;
  return `repo:${l.repo}:${l.name}`;
}

/** The step's `targets` (as `github.collectCiExposure` reports secrets) as distinct locations. */
export function secretLocations(targets: ReachableSecret | ReachableSecret[] | null | undefined): SecretLocation[] {
  const list = targets === null || targets === undefined ? [] : Array.isArray(targets) ? targets : [targets];
  const out = new Map<string, SecretLocation>();
  for (const t of list) {
    const org = t.repo.split('/')[0] ?? t.repo;
    const loc: SecretLocation =
      t.scope === 'organization'
        ? { scope: 'organization', org, name: t.name }
        : t.scope === 'environment'
          ? { scope: 'environment', org, repo: t.repo, environment: t.environment ?? '', name: t.name }
          : { scope: 'repository', org, repo: t.repo, name: t.name };
    out.set(locationId(loc), loc);
  }
  return [...out.values()].sort((a, b) => locationId(a).localeCompare(locationId(b)));
}

/** Who a secret belongs to, by a name-keyed table: `owner/repo:NAME` first, then `NAME`. */
function lookup<T>(table: Record<string, T> | Map<string, T>, l: SecretLocation): T | undefined {
  const get = (k: string) => (table instanceof Map ? table.get(k) : table[k]);
  return (l.repo ? get(`${l.repo}:${l.name}`) : undefined) ?? get(l.name);
}

type TagEntry = { kind: 'user' | 'role'; name: string; human: boolean };

function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/**
 * Secret names IAM users and roles are tagged with (`cordon:github-secrets`). Listing tags costs a call per
 * identity, so it is only done when the inventory leaves secrets unmapped.
 */
async function taggedIdentities(iam: IAMClient): Promise<Map<string, TagEntry>> {
  const out = new Map<string, TagEntry>();
  const add = (kind: 'user' | 'role', name: string, tags: Tag[] | undefined) => {
    const value = tagValue(tags, SECRETS_TAG);
    if (!value) return;
    const human = tagValue(tags, HUMAN_TAG)?.toLowerCase() === 'true';
    for (const secret of value.split(/\s+/).filter(Boolean))
      if (!out.has(secret)) out.set(secret, { kind, name, human });
  };
  for await (const page of paginateListUsers({ client: iam }, {}))
    for (const u of page.Users ?? []) {
      const r = await iamCall(`list tags of user ${u.UserName}`, () =>
        iam.send(new ListUserTagsCommand({ UserName: u.UserName })),
      );
      add('user', u.UserName!, r.Tags);
    }
  for await (const page of paginateListRoles({ client: iam }, {}))
    for (const role of page.Roles ?? []) {
      const r = await iamCall(`list tags of role ${role.RoleName}`, () =>
        iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName })),
      );
      add('role', role.RoleName!, r.Tags);
    }
  return out;
}

/**
 * Maps exposed secrets to the IAM users and roles behind them: the incident's inventory first, then IAM tags.
 * A secret neither names is reported for rotation by hand.
 */
export async function mapSecrets(
  iam: IAMClient,
  inventory: Inventory,
  locations: SecretLocation[],
): Promise<IdentityMap> {
  const users = new Map<string, MappedUser>();
  const roles = new Map<string, MappedRole>();
  const rotateByHand: IdentityMap['rotateByHand'] = [];
  const unmapped: SecretLocation[] = [];
  const place = (l: SecretLocation, e: InventoryEntry | TagEntry, via: 'inventory' | 'tag') => {
    const role = 'kind' in e ? (e.kind === 'role' ? e.name : undefined) : e.role;
    const user = 'kind' in e ? (e.kind === 'user' ? e.name : undefined) : e.user;
    if (role) {
      const r = roles.get(role) ?? { role, via, secrets: [] };
      r.secrets.push(l);
      roles.set(role, r);
    } else if (user) {
      const u = users.get(user) ?? { user, human: false, via, secrets: [] };
      u.human ||= e.human;
      u.secrets.push({ ...l, field: ('field' in e ? e.field : undefined) ?? inferField(l.name) });
      users.set(user, u);
    }
  };
  for (const l of locations) {
    const e = lookup(inventory.secrets, l);
    if (e) place(l, e, 'inventory');
    else unmapped.push(l);
  }
  if (unmapped.length > 0) {
    const tagged = await taggedIdentities(iam);
    for (const l of unmapped) {
      const e = lookup(tagged, l);
      if (e) place(l, e, 'tag');
      else rotateByHand.push({ ...l, reason: 'no IAM user or role in the inventory or IAM tags names this secret' });
    }
  }
  const byName = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { users: byName(users), roles: byName(roles), rotateByHand };
}
