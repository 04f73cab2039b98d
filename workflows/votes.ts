import { ApplicationFailure } from '@temporalio/workflow';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { AliasChannel } from '../domain/approvers';
import { FailureType } from '../domain/failures';
import { overLimit } from '../domain/limits';
import { fromBase64 } from '../domain/signing/bytes';
import { parseSshPublicKey, type SshPublicKey } from '../domain/signing/ssh-key';
import { verifyVoteSignature } from '../domain/signing/verify-vote';
import { votePayloadBytes, votePayloadProblem, type VotePayload } from '../domain/signing/vote-payload';
import type { WebAuthnCredential } from '../domain/signing/webauthn';
import type {
  ApprovalState,
  FailureState,
  PinnedPrincipal,
  RecordedProof,
  StepDecisionInput,
  StepDecisionResult,
  StepState,
  VoteChannel,
  VoteInput,
  VoteRefusal,
  VoteResult,
} from './definitions';

/** How far a signed payload's time may be from workflow time (clock skew between a laptop and the server). */
export const SIGNED_TIME_SKEW_MS = 10 * 60_000;

function refuse(code: VoteRefusal, message: string): never {
  throw ApplicationFailure.create({ type: code, message: `${code}: ${message}`, nonRetryable: true });
}

/** The approval request a step is on now (a changed plan opens a new one). */
export const currentApproval = (s: StepState): ApprovalState | undefined => s.approvals[s.approvals.length - 1];

/** The alias channel a vote's approver string is read on: Slack user ids from Slack, CLI handles otherwise (an API
 * caller's alias is looked up on every channel). */
export const aliasChannel = (channel: VoteChannel): AliasChannel => (channel === 'slack' ? 'slack' : 'cli');

/** Who a signed vote counts as, and how it was proven: what the vote records beside the alias. */
export interface ProvenVote {
  principal: string;
  proof: RecordedProof;
  keyFingerprint?: string;
}

/** The request a decision answers: the open approval, on which step of which incident. */
export interface DecisionContext {
  incidentId: string;
  stepId: string;
  /** Workflow time (ms): a payload signed more than {@link SIGNED_TIME_SKEW_MS} away is refused. */
  nowMs: number;
  /** The incident's initiator alias (separation of duties compares principals, and this alias for old pins). */
  initiator: string;
}

const hasAlias = (p: PinnedPrincipal, channel: AliasChannel, alias: string): boolean =>
  (p.aliases[channel] ?? []).some((a) => (channel === 'email' ? a.toLowerCase() === alias.toLowerCase() : a === alias));

const isInitiator = (p: PinnedPrincipal, a: ApprovalState, initiator: string): boolean =>
  p.id === (a.initiatorPrincipal ?? initiator) ||
  (['cli', 'slack', 'email'] as const).some((c) => hasAlias(p, c, initiator));

/** The pinned keys of a principal in the shape the signature checks take (lines that do not parse are skipped). */
function keysOf(p: PinnedPrincipal): { ssh: SshPublicKey[]; webauthn: WebAuthnCredential[] } {
  const ssh: SshPublicKey[] = [];
  for (const line of p.sshKeys) {
    const k = parseSshPublicKey(line);
    if (k.ok) ssh.push(k.key);
  }
  const webauthn = p.webauthn
    .filter((c) => c.alg === -7 || c.alg === -8)
    .map((c) => ({ id: c.id, publicKey: c.publicKey, alg: c.alg as WebAuthnCredential['alg'] }));
  return { ssh, webauthn };
}

/**
 * Checks that the signed payload answers this request with exactly the vote's fields: well formed, the open
 * round's nonce (else STALE_NONCE), signed within the allowed skew of workflow time, same incident, step, round,
 * plan, decision and reason (else BAD_SIGNATURE).
 */
export function payloadProblem(
  payload: unknown,
  a: Pick<ApprovalState, 'round' | 'planHash' | 'nonce'>,
  vote: { decision: string; reason?: string },
  ctx: Pick<DecisionContext, 'incidentId' | 'stepId' | 'nowMs'>,
): { code: VoteRefusal; message: string } | undefined {
  const problem = votePayloadProblem(payload);
  if (problem) return { code: FailureType.BadSignature, message: `signed payload: ${problem}` };
  const p = payload as VotePayload;
  if (p.nonce !== a.nonce || p.round !== a.round)
    return {
      code: FailureType.StaleNonce,
      message: `signed for request ${p.nonce} (round ${p.round}), not the open ${a.nonce} (round ${a.round})`,
    };
  if (Math.abs(Date.parse(p.time) - ctx.nowMs) > SIGNED_TIME_SKEW_MS)
    return {
      code: FailureType.StaleNonce,
      message: `signed at ${p.time}, more than ${SIGNED_TIME_SKEW_MS / 60_000} minutes from the incident's clock`,
    };
  const expected: Record<string, unknown> = {
    incidentId: ctx.incidentId,
    stepId: ctx.stepId,
    planHash: a.planHash,
    decision: vote.decision,
    reason: vote.reason ?? '',
  };
  for (const [k, want] of Object.entries(expected))
    if ((p as unknown as Record<string, unknown>)[k] !== want)
      return {
        code: FailureType.BadSignature,
        message: `signed ${k} ${JSON.stringify((p as never)[k])} is not ${JSON.stringify(want)}`,
      };
  return undefined;
}

/**
 * Verifies a decision's proof for a principal against what the request pinned: an SSH signature or passkey by
 * one of the principal's keys, or (where the policy is `slack`) the Slack app's attestation that the principal's
 * Slack user pressed the button. Pure: the validator and the handler both call it, and replays decide alike.
 */
export function proofOf(
  v: Pick<VoteInput, 'payload' | 'proof'>,
  principal: PinnedPrincipal,
  a: Pick<ApprovalState, 'proof' | 'slackAttestationKey' | 'round' | 'planHash' | 'nonce'>,
  ctx: Pick<DecisionContext, 'incidentId' | 'stepId'>,
): { ok: true; proven: ProvenVote } | { ok: false; code: VoteRefusal; message: string } {
  const proof = v.proof;
  if (!proof || v.payload === undefined)
    return {
      ok: false,
      code: FailureType.SignatureRequired,
      message: 'decisions must be signed (cordon approve --key FILE, or CORDON_SIGNING_KEY)',
    };
  const payload = v.payload;
  if (proof.kind === 'slack') {
    if (a.proof !== 'slack')
      return {
        ok: false,
        code: FailureType.SignatureRequired,
        message: `this decision needs a signature by ${principal.id}'s own key; a Slack attestation is not enough`,
      };
    if (!(principal.aliases.slack ?? []).includes(proof.slackUserId))
      return {
        ok: false,
        code: FailureType.UnknownPrincipal,
        message: `Slack user ${proof.slackUserId} is not ${principal.id}`,
      };
    const key = a.slackAttestationKey ? fromBase64(a.slackAttestationKey) : undefined;
    const sig = fromBase64(proof.attestation);
    if (!key || key.length !== 32)
      return { ok: false, code: FailureType.BadSignature, message: 'no Slack attestation key is configured' };
    let valid = false;
    try {
      valid = !!sig && ed25519.verify(sig, votePayloadBytes(payload), key);
    } catch {
      valid = false;
    }
    return valid
      ? { ok: true, proven: { principal: principal.id, proof: 'slack-attested' } }
      : { ok: false, code: FailureType.BadSignature, message: 'the Slack attestation does not verify' };
  }
  const signature =
    proof.kind === 'ssh'
      ? ({ kind: 'sshsig', armored: proof.signature } as const)
      : proof.kind === 'webauthn'
        ? ({
            kind: 'webauthn',
            assertion: {
              credentialId: proof.credentialId,
              authenticatorData: proof.authenticatorData,
              clientDataJSON: proof.clientDataJSON,
              signature: proof.signature,
            },
          } as const)
        : undefined;
  if (!signature)
    return { ok: false, code: FailureType.BadSignature, message: `unknown proof kind ${JSON.stringify(proof)}` };
  const r = verifyVoteSignature(payload, signature, {
    request: {
      incidentId: ctx.incidentId,
      stepId: ctx.stepId,
      round: a.round,
      planHash: a.planHash,
      nonce: a.nonce ?? '',
    },
    vote: { decision: payload.decision, reason: payload.reason },
    principal: { id: principal.id, aliases: { cli: [], slack: [], email: [] }, keys: keysOf(principal) },
  });
  if (!r.ok) return { ok: false, code: r.code, message: r.message };
  return {
    ok: true,
    proven: {
      principal: principal.id,
      proof: r.key.kind,
      keyFingerprint: r.key.kind === 'ssh' ? r.key.fingerprint : r.key.credentialId,
    },
  };
}

/**
 * Who a decision under a signed request counts as: the voter's alias on their channel among the principals pinned
 * with the request (NOT_IN_GROUP), not the initiator where separation of duties applies, not a person who already
 * voted (ALREADY_VOTED, or ALIAS_OF_VOTER under another alias), then the payload and its proof. Throws the refusal.
 */
export function admitSignedDecision(
  a: ApprovalState,
  v: Pick<VoteInput, 'approver' | 'channel' | 'decision' | 'reason' | 'payload' | 'proof'>,
  ctx: DecisionContext,
): ProvenVote {
  // A raw API caller may name the voter by any alias; Slack and the CLI name them by their own.
  const channels: AliasChannel[] = v.channel === 'api' ? ['cli', 'slack', 'email'] : [aliasChannel(v.channel)];
  const channel = channels.join('/');
  const principal = (a.principals ?? []).find((p) => channels.some((c) => hasAlias(p, c, v.approver)));
  if (!principal) {
    const groups = a.escalated ? `${a.group} or ${a.escalationGroup}` : a.group;
    refuse(FailureType.NotInGroup, `${v.approver} is not in approver group ${groups} (as a ${channel} alias)`);
  }
  if (a.separationOfDuties && isInitiator(principal, a, ctx.initiator))
    refuse(
      FailureType.SeparationOfDuties,
      `${v.approver} declared this incident and may not approve its steps` +
        (v.approver === principal.id ? '' : ` (${v.approver} is ${principal.id})`),
    );
  const earlier = a.votes.find((x) => x.principal === principal.id);
  if (earlier) {
    if (earlier.approver === v.approver && earlier.channel === v.channel)
      refuse(FailureType.AlreadyVoted, `${principal.id} already voted on this plan`);
    refuse(
      FailureType.AliasOfVoter,
      `"${v.approver}" is ${principal.id}, who already voted as ${earlier.channel} "${earlier.approver}"`,
    );
  }
  if (v.decision === 'reject' && !v.reason?.trim()) refuse(FailureType.ReasonRequired, 'a rejection needs a reason');
  if (!v.proof || v.payload === undefined)
    refuse(
      FailureType.SignatureRequired,
      'decisions must be signed (cordon approve --key FILE, or CORDON_SIGNING_KEY)',
    );
  const problem = payloadProblem(v.payload, a, v, ctx);
  if (problem) refuse(problem.code, problem.message);
  const proven = proofOf(v, principal, a, ctx);
  if (!proven.ok) refuse(proven.code, proven.message);
  return proven.proven;
}

/**
 * The vote update's validator: refuses, with a stable code and the reason, every vote that cannot count. Runs
 * before the vote is written to history, so a refused vote leaves no trace but the caller's error. A round opened
 * under signed votes (it has a nonce) counts principals and verifies the proof; older rounds compare aliases.
 */
/**
 * Refuses a reason over its limit before anything else: an attacker-sized reason would otherwise be copied into the
 * incident's state and notices (domain/limits.ts).
 */
export function refuseTooLong(reason: string | undefined): void {
  const problem = overLimit('reason', reason);
  if (problem) throw ApplicationFailure.create({ type: FailureType.TooLong, message: problem, nonRetryable: true });
}

export function validateVote(
  step: StepState | undefined,
  v: VoteInput,
  initiator: string,
  ctx?: Omit<DecisionContext, 'stepId' | 'initiator'>,
): ProvenVote | undefined {
  refuseTooLong(v.reason);
  if (!step) refuse(FailureType.UnknownStep, `no step "${v.stepId}" in this playbook`);
  const a = currentApproval(step);
  if (step.status !== 'awaiting-approval' || !a || a.decision) {
    refuse(FailureType.NotAwaitingApproval, `step "${v.stepId}" is ${step.status}, not awaiting approval`);
  }
  if (v.planHash !== a.planHash) {
    refuse(
      FailureType.StalePlan,
      `plan ${v.planHash.slice(0, 12)} is not the plan awaiting approval (${a.planHash.slice(0, 12)})`,
    );
  }
  if (a.nonce !== undefined && ctx) return admitSignedDecision(a, v, { ...ctx, stepId: v.stepId, initiator });
  if (!a.members.includes(v.approver)) {
    const groups = a.escalated ? `${a.group} or ${a.escalationGroup}` : a.group;
    refuse(FailureType.NotInGroup, `${v.approver} is not in approver group ${groups}`);
  }
  if (a.separationOfDuties && v.approver === initiator) {
    refuse(FailureType.SeparationOfDuties, `${v.approver} declared this incident and may not approve its steps`);
  }
  if (a.votes.some((x) => x.approver === v.approver))
    refuse(FailureType.AlreadyVoted, `${v.approver} already voted on this plan`);
  if (v.decision === 'reject' && !v.reason?.trim()) refuse(FailureType.ReasonRequired, 'a rejection needs a reason');
  return undefined;
}

/**
 * Records a validated vote; one rejection decides, as does the quorum of approvals (of distinct principals, as
 * the validator admitted them). `proven` is who the validator found behind a signed vote; `decidedBy` stays the
 * alias as typed, the principal is on the vote.
 */
export function recordVote(step: StepState, v: VoteInput, at: string, proven?: ProvenVote): VoteResult {
  const a = currentApproval(step)!;
  a.votes.push({
    approver: v.approver,
    decision: v.decision,
    planHash: v.planHash,
    channel: v.channel,
    at,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(proven
      ? {
          principal: proven.principal,
          proof: proven.proof,
          ...(proven.keyFingerprint ? { keyFingerprint: proven.keyFingerprint } : {}),
          ...(v.payload ? { payload: v.payload } : {}),
          ...(v.proof ? { signature: v.proof } : {}),
        }
      : {}),
  });
  const approvals = a.votes.filter((x) => x.decision === 'approve').length;
  if (v.decision === 'reject' || approvals >= a.quorum) {
    a.decision = v.decision === 'reject' ? 'rejected' : 'approved';
    a.decidedBy = v.approver;
    a.decidedAt = at;
  }
  return {
    stepId: v.stepId,
    accepted: true,
    approvals,
    quorum: a.quorum,
    ...(a.decision ? { decision: a.decision } : {}),
  };
}

/** The failure a failed step waits on for a decision, if it is waiting. */
export const pendingFailure = (s: StepState): FailureState | undefined => {
  const f = s.failures?.at(-1);
  return s.status === 'failed' && f && !f.decision ? f : undefined;
};

/**
 * The validator of the retry and skip updates: a decision on a failed step is held to the rules of a vote (the
 * caller belongs to the step's decision groups, and is not the initiator where the step asks for separation of
 * duties). The one place a signature check over the decision belongs, as for votes.
 */
export function validateStepDecision(
  step: StepState | undefined,
  d: StepDecisionInput,
  decision: 'retry' | 'skip',
  initiator: string,
): void {
  refuseTooLong(d.reason);
  if (!step) refuse(FailureType.UnknownStep, `no step "${d.stepId}" in this playbook`);
  const f = pendingFailure(step);
  if (!f) refuse(FailureType.NotFailed, `step "${d.stepId}" is ${step.status}, not failed and waiting for a decision`);
  if (!f.members.includes(d.by))
    refuse(FailureType.NotInGroup, `${d.by} is not in approver group ${f.groups.join(' or ')}`);
  if (f.separationOfDuties && d.by === initiator) {
    refuse(FailureType.SeparationOfDuties, `${d.by} declared this incident and may not decide its steps`);
  }
  if (decision === 'skip' && !d.reason?.trim())
    refuse(FailureType.ReasonRequired, 'skipping a failed step needs a reason');
}

/** Records a validated retry or skip on the failure the step waits on; the interpreter acts on it. */
export function recordStepDecision(
  step: StepState,
  d: StepDecisionInput,
  decision: 'retry' | 'skip',
  at: string,
): StepDecisionResult {
  const f = pendingFailure(step)!;
  Object.assign(
    f,
    { decision, decidedBy: d.by, decidedAt: at, channel: d.channel },
    d.reason ? { reason: d.reason } : {},
  );
  return { stepId: d.stepId, accepted: true, decision };
}
