// Signed rounds (opened under the 'signed-votes' patch): the validator counts principals, never aliases, and
// verifies each vote's proof against the keys pinned with the request. Signatures are made by the real ssh-keygen.
import { ed25519 } from '@noble/curves/ed25519.js';
import { toBase64 } from '../../../domain/signing/bytes';
import { votePayloadBytes, type VotePayload } from '../../../domain/signing/vote-payload';
import type { PinnedPrincipal, StepState, VoteInput } from '../../../workflows/definitions';
import { recordVote, validateVote } from '../../../workflows/votes';
import { sshWorkspace, type SshKeyFiles, type SshWorkspace } from '../domain/signing/ssh-fixtures';

const PLAN = 'b'.repeat(64);
const NONCE = '6f1c1a52-2d6e-4c1e-9a65-0d7f3b1f0a11';
const NOW = Date.parse('2026-06-17T10:00:00.000Z');
const CTX = { incidentId: 'incident-acme', nowMs: NOW };

let ws: SshWorkspace;
let keys: Record<'alice' | 'bob' | 'carol' | 'mallory', SshKeyFiles>;
let principals: PinnedPrincipal[];
const slackSeed = ed25519.utils.randomSecretKey();
const slackPublic = toBase64(ed25519.getPublicKey(slackSeed));

beforeAll(() => {
  ws = sshWorkspace();
  keys = {
    alice: ws.keygen('alice', 'ed25519'),
    bob: ws.keygen('bob', 'ed25519'),
    carol: ws.keygen('carol', 'ecdsa'),
    mallory: ws.keygen('mallory', 'ed25519'),
  };
  const person = (id: 'alice' | 'bob' | 'carol', slack: string): PinnedPrincipal => ({
    id,
    aliases: { cli: [id], slack: [slack] },
    sshKeys: [keys[id].publicLine],
    webauthn: [],
  });
  principals = [person('alice', 'U0ALICE'), person('bob', 'U0BOB'), person('carol', 'U0CAROL')];
});
afterAll(() => ws.cleanup());

function awaiting(over: Partial<StepState['approvals'][number]> = {}): StepState {
  return {
    id: 'contain',
    name: 'contain',
    phase: 'contain',
    action: 'github.disableWorkflows',
    mutates: true,
    status: 'awaiting-approval',
    approvals: [
      {
        round: 1,
        planHash: PLAN,
        group: 'oncall',
        members: ['alice', 'bob', 'carol'],
        quorum: 2,
        separationOfDuties: true,
        requestedAt: '2026-06-17T09:59:00.000Z',
        deadline: '2026-06-17T10:29:00.000Z',
        escalated: false,
        votes: [],
        nonce: NONCE,
        proof: 'signed',
        principals,
        initiatorPrincipal: 'alice',
        slackAttestationKey: slackPublic,
        ...over,
      },
    ],
  };
}

const payloadFor = (over: Partial<VotePayload> = {}): VotePayload => ({
  v: 1,
  incidentId: 'incident-acme',
  stepId: 'contain',
  round: 1,
  planHash: PLAN,
  decision: 'approve',
  reason: '',
  time: '2026-06-17T10:00:30.000Z',
  nonce: NONCE,
  ...over,
});

/** A vote by `alias` on `channel`, signed with `key` over the payload (with `over` applied to it). */
function signed(
  alias: string,
  key: SshKeyFiles,
  over: Partial<VotePayload> = {},
  channel: VoteInput['channel'] = 'cli',
): VoteInput {
  const payload = payloadFor(over);
  const signature = ws.sign(key, votePayloadBytes(payload), 'cordon-vote');
  return {
    stepId: 'contain',
    planHash: PLAN,
    approver: alias,
    decision: payload.decision === 'reject' ? 'reject' : 'approve',
    ...(payload.reason ? { reason: payload.reason } : {}),
    channel,
    payload,
    proof: { kind: 'ssh', signature },
  };
}

const refusal = (step: StepState, v: VoteInput): string => {
  try {
    validateVote(step, v, 'alice', CTX);
  } catch (err) {
    return (err as { type: string }).type;
  }
  return 'accepted';
};

describe('signed votes', () => {
  it('accepts a vote signed by the voter’s own pinned key and records principal, proof and key', () => {
    const step = awaiting();
    const v = signed('bob', keys.bob);
    const proven = validateVote(step, v, 'alice', CTX);
    expect(proven).toEqual({ principal: 'bob', proof: 'ssh', keyFingerprint: ws.fingerprint(keys.bob) });
    const r = recordVote(step, v, '2026-06-17T10:00:31.000Z', proven);
    expect(r).toMatchObject({ accepted: true, approvals: 1, quorum: 2 });
    expect(step.approvals[0]!.votes[0]).toMatchObject({ approver: 'bob', principal: 'bob', proof: 'ssh' });
  });

  it('refuses a vote without a proof (SIGNATURE_REQUIRED)', () => {
    const { proof: _proof, payload: _payload, ...bare } = signed('bob', keys.bob);
    expect(refusal(awaiting(), bare)).toBe('SIGNATURE_REQUIRED');
  });

  it('refuses a forged signature: signed over other bytes than the payload sent (BAD_SIGNATURE)', () => {
    const v = signed('bob', keys.bob);
    const other = signed('bob', keys.bob, { time: '2026-06-17T10:00:31.000Z' });
    expect(refusal(awaiting(), { ...v, proof: other.proof! })).toBe('BAD_SIGNATURE');
  });

  it('refuses a payload that differs from the vote: another decision or plan (BAD_SIGNATURE)', () => {
    expect(refusal(awaiting(), { ...signed('bob', keys.bob, { planHash: 'c'.repeat(64) }) })).toBe('BAD_SIGNATURE');
    const rejectSigned = signed('bob', keys.bob, { decision: 'reject', reason: 'no' });
    expect(refusal(awaiting(), { ...rejectSigned, decision: 'approve' })).toBe('BAD_SIGNATURE');
  });

  it('refuses a signature by a key that is not the voter’s (UNKNOWN_KEY)', () => {
    expect(refusal(awaiting(), signed('bob', keys.carol))).toBe('UNKNOWN_KEY');
    expect(refusal(awaiting(), signed('bob', keys.mallory))).toBe('UNKNOWN_KEY');
  });

  it('refuses a payload for another request or round, or signed too far from workflow time (STALE_NONCE)', () => {
    expect(refusal(awaiting(), signed('bob', keys.bob, { nonce: 'another-request' }))).toBe('STALE_NONCE');
    expect(refusal(awaiting(), signed('bob', keys.bob, { round: 2 }))).toBe('STALE_NONCE');
    expect(refusal(awaiting(), signed('bob', keys.bob, { time: '2026-06-17T09:45:00.000Z' }))).toBe('STALE_NONCE');
  });

  it('counts one human once: bob again through his Slack alias is ALIAS_OF_VOTER, the same alias ALREADY_VOTED', () => {
    const step = awaiting();
    const v = signed('bob', keys.bob);
    recordVote(step, v, '2026-06-17T10:00:31.000Z', validateVote(step, v, 'alice', CTX));
    expect(refusal(step, signed('U0BOB', keys.bob, {}, 'slack'))).toBe('ALIAS_OF_VOTER');
    expect(refusal(step, signed('bob', keys.bob))).toBe('ALREADY_VOTED');
  });

  it('bars the declarer under every alias: alice through her Slack id on her own incident (SEPARATION_OF_DUTIES)', () => {
    expect(refusal(awaiting(), signed('U0ALICE', keys.alice, {}, 'slack'))).toBe('SEPARATION_OF_DUTIES');
    expect(refusal(awaiting({ separationOfDuties: false }), signed('U0ALICE', keys.alice, {}, 'slack'))).toBe(
      'accepted',
    );
  });

  it('refuses an alias nobody in the group has on that channel (NOT_IN_GROUP)', () => {
    expect(refusal(awaiting(), signed('mallory', keys.mallory))).toBe('NOT_IN_GROUP');
    // A CLI handle is not a Slack id: aliases are per channel.
    expect(refusal(awaiting(), signed('bob', keys.bob, {}, 'slack'))).toBe('NOT_IN_GROUP');
  });

  describe('Slack attestation', () => {
    const attested = (slackUserId: string, seed = slackSeed): VoteInput => {
      const payload = payloadFor();
      return {
        stepId: 'contain',
        planHash: PLAN,
        approver: slackUserId,
        decision: 'approve',
        channel: 'slack',
        payload,
        proof: { kind: 'slack', slackUserId, attestation: toBase64(ed25519.sign(votePayloadBytes(payload), seed)) },
      };
    };

    it('counts where the policy is slack, recorded as slack-attested, never as signed', () => {
      const step = awaiting({ proof: 'slack' });
      const v = attested('U0BOB');
      const proven = validateVote(step, v, 'alice', CTX);
      expect(proven).toEqual({ principal: 'bob', proof: 'slack-attested' });
    });

    it('is not enough where the policy is signed (SIGNATURE_REQUIRED)', () => {
      expect(refusal(awaiting({ proof: 'signed' }), attested('U0BOB'))).toBe('SIGNATURE_REQUIRED');
    });

    it('refuses an attestation by another key (BAD_SIGNATURE)', () => {
      expect(refusal(awaiting({ proof: 'slack' }), attested('U0BOB', ed25519.utils.randomSecretKey()))).toBe(
        'BAD_SIGNATURE',
      );
    });
  });

  it('validates rounds opened before signed votes (no nonce) by alias, exactly as before', () => {
    const old = awaiting();
    delete old.approvals[0]!.nonce;
    const plain: VoteInput = {
      stepId: 'contain',
      planHash: PLAN,
      approver: 'bob',
      decision: 'approve',
      channel: 'cli',
    };
    expect(refusal(old, plain)).toBe('accepted');
    expect(refusal(old, { ...plain, approver: 'alice' })).toBe('SEPARATION_OF_DUTIES');
  });
});
