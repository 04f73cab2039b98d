import type { PinnedPrincipal } from '../../../../domain/approvers';
import { parseSshPublicKey } from '../../../../domain/signing/ssh-key';
import { VOTE_NAMESPACE } from '../../../../domain/signing/sshsig';
import { verifyVoteSignature, type VoteExpectation } from '../../../../domain/signing/verify-vote';
import { voteChallenge, votePayloadBytes, type VotePayload } from '../../../../domain/signing/vote-payload';
import { sshWorkspace, type SshKeyFiles, type SshWorkspace } from './ssh-fixtures';
import { assert, authenticator, ORIGIN, RP_ID } from './webauthn-fixtures';

const REQUEST = {
  incidentId: 'incident-shai-hulud',
  stepId: 'revoke-npm-tokens',
  round: 1,
  planHash: 'd'.repeat(64),
  nonce: 'req-42',
};
const PAYLOAD: VotePayload = {
  v: 1,
  ...REQUEST,
  decision: 'reject',
  reason: 'the plan revokes the release bot too',
  time: '2026-09-16T08:00:00.000Z',
};

describe('verifyVoteSignature', () => {
  let ws: SshWorkspace;
  let alicesKey: SshKeyFiles;
  let strangersKey: SshKeyFiles;
  let expectation: VoteExpectation;
  const passkey = authenticator('p256', 'alice-passkey');

  beforeAll(() => {
    ws = sshWorkspace();
    alicesKey = ws.keygen('alice', 'ed25519');
    strangersKey = ws.keygen('stranger', 'ecdsa');
    const key = parseSshPublicKey(alicesKey.publicLine);
    if (!key.ok) throw new Error(key.message);
    const alice: PinnedPrincipal = {
      id: 'alice',
      aliases: { cli: ['alice'], slack: ['U0ALICE'], email: [] },
      keys: { ssh: [key.key], webauthn: [passkey.credential] },
    };
    expectation = {
      request: REQUEST,
      vote: { decision: 'reject', reason: PAYLOAD.reason },
      principal: alice,
      webauthn: { rpId: RP_ID, origins: [ORIGIN] },
    };
  });
  afterAll(() => ws.cleanup());

  const sshSigned = (files: SshKeyFiles, payload: VotePayload = PAYLOAD, ns = VOTE_NAMESPACE) =>
    ({ kind: 'sshsig', armored: ws.sign(files, votePayloadBytes(payload), ns) }) as const;

  it('accepts an SSH-signed vote by an enrolled key, naming the key', () => {
    expect(verifyVoteSignature(PAYLOAD, sshSigned(alicesKey), expectation)).toEqual({
      ok: true,
      key: { kind: 'ssh', fingerprint: ws.fingerprint(alicesKey) },
    });
  });

  it('accepts a passkey-signed vote whose challenge is the payload hash', () => {
    const signature = { kind: 'webauthn', assertion: assert(passkey, {}, voteChallenge(PAYLOAD)) } as const;
    expect(verifyVoteSignature(PAYLOAD, signature, expectation)).toEqual({
      ok: true,
      key: { kind: 'webauthn', credentialId: 'alice-passkey', userVerified: true, signCount: 7 },
    });
  });

  it('refuses an unsigned vote with SIGNATURE_REQUIRED', () => {
    expect(verifyVoteSignature(undefined, undefined, expectation)).toMatchObject({
      ok: false,
      code: 'SIGNATURE_REQUIRED',
    });
    expect(verifyVoteSignature(PAYLOAD, undefined, expectation)).toMatchObject({
      ok: false,
      code: 'SIGNATURE_REQUIRED',
    });
  });

  it('refuses a signature answering an earlier request or round with STALE_NONCE', () => {
    for (const stale of [{ nonce: 'req-41' }, { round: 0 }]) {
      const payload = { ...PAYLOAD, ...stale };
      expect(verifyVoteSignature(payload, sshSigned(alicesKey, payload), expectation)).toMatchObject({
        ok: false,
        code: 'STALE_NONCE',
      });
    }
  });

  it('refuses a key not enrolled for the principal with UNKNOWN_KEY, for SSH keys and passkeys', () => {
    expect(verifyVoteSignature(PAYLOAD, sshSigned(strangersKey), expectation)).toMatchObject({
      ok: false,
      code: 'UNKNOWN_KEY',
    });
    const other = authenticator('p256', 'someone-elses-passkey');
    const signature = { kind: 'webauthn', assertion: assert(other, {}, voteChallenge(PAYLOAD)) } as const;
    expect(verifyVoteSignature(PAYLOAD, signature, expectation)).toMatchObject({ ok: false, code: 'UNKNOWN_KEY' });
  });

  it('refuses with BAD_SIGNATURE a payload that differs from the vote, another step, a wrong namespace or challenge', () => {
    const approve = { ...PAYLOAD, decision: 'approve' as const };
    expect(verifyVoteSignature(approve, sshSigned(alicesKey, approve), expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
      message: 'the signed decision or reason differs from the vote',
    });
    const otherStep = { ...PAYLOAD, stepId: 'rotate-aws-keys' };
    expect(verifyVoteSignature(otherStep, sshSigned(alicesKey, otherStep), expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
    // The signature is over the original payload; the payload sent alongside was edited afterwards.
    const edited = { ...PAYLOAD, time: '2026-09-16T08:00:01.000Z' };
    expect(verifyVoteSignature(edited, sshSigned(alicesKey), expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
      message: expect.stringMatching(/^BAD_SIGNATURE: /),
    });
    expect(verifyVoteSignature(PAYLOAD, sshSigned(alicesKey, PAYLOAD, 'git'), expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
      message: expect.stringMatching(/^WRONG_NAMESPACE: /),
    });
    const wrongChallenge = { kind: 'webauthn', assertion: assert(passkey, {}, voteChallenge(edited)) } as const;
    expect(verifyVoteSignature(PAYLOAD, wrongChallenge, expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
      message: expect.stringMatching(/^WRONG_CHALLENGE: /),
    });
    expect(verifyVoteSignature({ ...PAYLOAD, v: 9 }, sshSigned(alicesKey), expectation)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });
});
