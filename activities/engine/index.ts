import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { ApprovalRequestNotice, EngineActivities, TimelineNotice } from '../types';
import { ALIAS_CHANNELS, resolveAlias, type ApproverDirectory, type Principal } from '../../domain/approvers';
import { FailureType } from '../../domain/failures';
import { checkPreflight, type ActionReach } from '../../domain/preflight';
import type { PinnedPrincipal, ResolvedPrincipals } from '../../domain/decisions';

/** Where approval requests and timeline events go (Slack, a test recorder, the demo transcript). */
export interface IncidentNotifier {
  approvalRequested(notice: ApprovalRequestNotice): Promise<void>;
  timeline(notice: TimelineNotice): Promise<void>;
}

/** Dependencies of the engine's own activities. */
export interface EngineDeps {
  /** Members of an approver group, looked up when a request is made. */
  resolveGroup(group: string): Promise<string[] | undefined>;
  notifiers: IncidentNotifier[];
  logger: Logger;
  /** What the handler of an action calls outside cordon (activities/registry `reachOf`); none when absent. */
  reachOf?: (action: string) => ActionReach | undefined;
  /** The people behind group members' aliases, with their keys; without it nobody can sign a vote. */
  directory?: ApproverDirectory;
  /** The Slack app's attestation public key (raw Ed25519, base64), pinned with each approval request. */
  slackAttestationKey?: string;
}

/** A principal as the workflow pins it: aliases per channel and the enrolled keys as plain strings. */
export function pinPrincipal(p: Pick<Principal, 'id' | 'aliases' | 'keys'>): PinnedPrincipal {
  return {
    id: p.id,
    aliases: { cli: [...p.aliases.cli], slack: [...p.aliases.slack], email: [...p.aliases.email] },
    sshKeys: p.keys.ssh.map((k) => `${k.algorithm} ${k.blob}`),
    webauthn: p.keys.webauthn.map((c) => ({ id: c.id, publicKey: c.publicKey, alg: c.alg })),
  };
}

/** The person behind an alias on whichever channel declares it. */
function principalOf(dir: ApproverDirectory, alias: string): Principal | undefined {
  for (const channel of ALIAS_CHANNELS) {
    const p = resolveAlias(dir, channel, alias);
    if (p) return p;
  }
  return undefined;
}

/**
 * A group's members (aliases from the configured map, or Slack user ids from a Slack user group) as principals
 * through the approvers file. Members the file does not know are listed as unenrolled: they cannot vote. Without
 * an approvers file, each alias stands for itself with no keys, so only a Slack attestation can prove its vote.
 */
export function principalsOf(
  members: readonly string[],
  initiator: string,
  directory: ApproverDirectory | undefined,
): ResolvedPrincipals {
  if (!directory) {
    const principals = [...new Set(members)].sort().map((m) => ({
      id: m,
      aliases: { cli: [m], slack: [m] },
      sshKeys: [],
      webauthn: [],
    }));
    return { principals, members: [...new Set(members)].sort(), initiatorPrincipal: initiator };
  }
  const byId = new Map<string, PinnedPrincipal>();
  const unenrolled: string[] = [];
  for (const m of members) {
    const p = principalOf(directory, m);
    if (p) byId.set(p.id, pinPrincipal(p));
    else unenrolled.push(m);
  }
  const principals = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const initiatorPrincipal = principalOf(directory, initiator)?.id ?? initiator;
  const sorted = [...new Set(members)].sort();
  return {
    principals,
    members: sorted,
    initiatorPrincipal,
    ...(unenrolled.length ? { unenrolled: unenrolled.sort() } : {}),
  };
}

/** Approver groups from configuration (group → member ids), for when no directory (Slack) is wired in. */
export function staticGroups(groups: Record<string, string[]>): EngineDeps['resolveGroup'] {
  return async (group) => groups[group];
}

/** The engine's activities: pre-flight, resolve approvers (as principals), announce approval requests, post timeline events. */
export function createEngineActivities(deps: EngineDeps): EngineActivities {
  return {
    async 'cordon.preflight'(req) {
      const groups = [...new Set(req.steps.flatMap((s) => s.groups))];
      const unknown = new Set<string>();
      for (const g of groups) if ((await deps.resolveGroup(g)) === undefined) unknown.add(g);
      const result = checkPreflight(req, (action) => deps.reachOf?.(action), unknown);
      if (result.problems.length > 0)
        deps.logger.warn({ problems: result.problems.map((p) => p.piece) }, 'pre-flight found missing pieces');
      return result;
    },
    async 'cordon.resolveApprovers'({ group }) {
      const members = await deps.resolveGroup(group);
      if (!members) {
        // Nobody could ever approve: fail loudly instead of waiting for a timeout.
        throw ApplicationFailure.create({
          type: FailureType.UnknownApproverGroup,
          message: `unknown approver group "${group}"`,
          nonRetryable: true,
        });
      }
      return [...members].sort();
    },
    async 'cordon.resolvePrincipals'({ group, initiator }) {
      const members = await deps.resolveGroup(group);
      if (!members) {
        throw ApplicationFailure.create({
          type: FailureType.UnknownApproverGroup,
          message: `unknown approver group "${group}"`,
          nonRetryable: true,
        });
      }
      const resolved = principalsOf(members, initiator, deps.directory);
      if (resolved.unenrolled)
        deps.logger.warn({ group, unenrolled: resolved.unenrolled }, 'group members without an approvers entry');
      return { ...resolved, ...(deps.slackAttestationKey ? { slackAttestationKey: deps.slackAttestationKey } : {}) };
    },
    async 'cordon.requestApproval'(notice) {
      deps.logger.info(
        { incident: notice.incidentId, step: notice.stepId, group: notice.group, planHash: notice.planHash },
        'approval requested',
      );
      for (const n of deps.notifiers) await n.approvalRequested(notice);
    },
    async 'cordon.timeline'(notice) {
      deps.logger.info({ incident: notice.incidentId, step: notice.stepId, kind: notice.kind }, notice.text);
      for (const n of deps.notifiers) await n.timeline(notice);
    },
  };
}

/** A notifier that keeps everything in memory: tests and the demo read it back. */
export class RecordingNotifier implements IncidentNotifier {
  readonly approvals: ApprovalRequestNotice[] = [];
  readonly events: TimelineNotice[] = [];
  async approvalRequested(notice: ApprovalRequestNotice): Promise<void> {
    this.approvals.push(notice);
  }
  async timeline(notice: TimelineNotice): Promise<void> {
    this.events.push(notice);
  }
}
