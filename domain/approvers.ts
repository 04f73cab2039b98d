import type { SshPublicKey } from './signing/ssh-key';
import type { WebAuthnCredential } from './signing/webauthn';

/** The channels a person has an alias on: CLI handle, Slack user id, e-mail address. */
export type AliasChannel = 'cli' | 'slack' | 'email';

/** The alias channels, in a stable order. */
export const ALIAS_CHANNELS: readonly AliasChannel[] = ['cli', 'slack', 'email'];

/** A person's enrolled public keys: SSH keys for CLI votes, passkeys for Slack votes. */
export interface EnrolledKeys {
  ssh: SshPublicKey[];
  webauthn: WebAuthnCredential[];
}

/**
 * One person, declared once: quorum, separation of duties and "already voted" count principals, never aliases,
 * so one human with a CLI handle and a Slack id still counts once. Plain JSON, so it can be pinned into history.
 */
export interface Principal {
  /** Stable id (`alice`), never reused: audits refer to it after aliases change. */
  id: string;
  /** Display name, for messages only. */
  name?: string;
  aliases: Record<AliasChannel, string[]>;
  groups: string[];
  keys: EnrolledKeys;
}

/** Everyone who may approve, validated (see config/approvers.ts): ids, aliases and keys are each unique. */
export interface ApproverDirectory {
  people: Principal[];
}

/** A group's member as pinned into history when an approval is requested: who, by which aliases, with which keys. */
export type PinnedPrincipal = Pick<Principal, 'id' | 'aliases' | 'keys'>;

// Slack ids and CLI handles are case-sensitive as their systems issue them; e-mail domains and, in practice,
// local parts are not, so an address matches whatever case the voter typed.
const norm = (channel: AliasChannel, alias: string): string =>
  channel === 'email' ? alias.trim().toLowerCase() : alias.trim();

/** The person behind an alias on a channel, or undefined for an alias nobody declared. */
export function resolveAlias(dir: ApproverDirectory, channel: AliasChannel, alias: string): Principal | undefined {
  const a = norm(channel, alias);
  return dir.people.find((p) => p.aliases[channel].some((x) => norm(channel, x) === a));
}

/** Every group named in the directory, sorted. */
export function groupNames(dir: ApproverDirectory): string[] {
  return [...new Set(dir.people.flatMap((p) => p.groups))].sort();
}

/**
 * A group's principals with their aliases and keys, sorted by id: what an approval request pins into history,
 * so that the vote validator checks signatures against keys as they were when the request was made.
 * Undefined when nobody is in the group (an unknown group must fail loudly, not wait for a timeout).
 */
export function groupPrincipals(dir: ApproverDirectory, group: string): PinnedPrincipal[] | undefined {
  const members = dir.people
    .filter((p) => p.groups.includes(group))
    .map(({ id, aliases, keys }) => ({ id, aliases, keys }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return members.length > 0 ? members : undefined;
}

/**
 * Group → members' aliases on the given channels, the shape of today's `approverGroups` configuration (bare
 * strings), so the current string-based approvals keep working from a people file until votes are signed.
 */
export function groupAliases(
  dir: ApproverDirectory,
  channels: readonly AliasChannel[] = ['cli', 'slack'],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of groupNames(dir))
    out[g] = dir.people.filter((p) => p.groups.includes(g)).flatMap((p) => channels.flatMap((c) => p.aliases[c]));
  return out;
}

/** Why a voter cannot vote (again): stable codes for the vote validator. */
export type VoterRefusal = 'NOT_IN_GROUP' | 'ALREADY_VOTED' | 'ALIAS_OF_VOTER';

/** Who is voting, or why they may not. */
export type VoterCheck = { ok: true; principal: PinnedPrincipal } | { ok: false; code: VoterRefusal; message: string };

/** One vote already counted on the current approval request: the principal, and the alias they used. */
export interface CountedVote {
  principal: string;
  alias: string;
  channel: AliasChannel;
}

/**
 * Resolves a voter's alias among a request's pinned principals and refuses a second vote by the same person,
 * naming the case where they came back under another alias (ALIAS_OF_VOTER) apart from a plain repeat.
 */
export function admitVoter(
  members: readonly PinnedPrincipal[],
  channel: AliasChannel,
  alias: string,
  counted: readonly CountedVote[],
): VoterCheck {
  const a = norm(channel, alias);
  const principal = members.find((p) => p.aliases[channel].some((x) => norm(channel, x) === a));
  if (!principal)
    return { ok: false, code: 'NOT_IN_GROUP', message: `${channel} alias "${alias}" is not in the group` };
  const earlier = counted.find((v) => v.principal === principal.id);
  if (earlier) {
    const same = earlier.channel === channel && norm(channel, earlier.alias) === a;
    return same
      ? { ok: false, code: 'ALREADY_VOTED', message: `${principal.id} already voted on this plan` }
      : {
          ok: false,
          code: 'ALIAS_OF_VOTER',
          message: `"${alias}" is ${principal.id}, who already voted as ${earlier.channel} "${earlier.alias}"`,
        };
  }
  return { ok: true, principal };
}
