import type { PinnedPrincipal } from '../approvers';
import { verifySshsig, VOTE_NAMESPACE } from './sshsig';
import { voteChallenge, votePayloadBytes, votePayloadProblem, type VotePayload } from './vote-payload';
import { verifyWebAuthnAssertion, type WebAuthnAssertion } from './webauthn';

/** A vote's signature: an SSHSIG from the CLI, or a passkey assertion from the Slack confirmation page. */
export type VoteSignature = { kind: 'sshsig'; armored: string } | { kind: 'webauthn'; assertion: WebAuthnAssertion };

/** Stable codes the vote validator refuses with when a signature does not make a vote count. */
export type VoteSignatureRefusal = 'SIGNATURE_REQUIRED' | 'BAD_SIGNATURE' | 'UNKNOWN_KEY' | 'STALE_NONCE';

/** Which enrolled key made a vote, for the approvals ledger. */
export type SigningKey =
  | { kind: 'ssh'; fingerprint: string }
  | { kind: 'webauthn'; credentialId: string; userVerified: boolean; signCount: number };

/** What a vote's signed payload must say: the open request it answers and the vote as sent. */
export interface VoteExpectation {
  /** The approval request, as the workflow holds it. */
  request: Pick<VotePayload, 'incidentId' | 'stepId' | 'round' | 'planHash' | 'nonce'>;
  /** The vote's own fields: the signature must cover exactly these. */
  vote: Pick<VotePayload, 'decision' | 'reason'>;
  /** The principal the voter's alias resolved to, with keys pinned when the request was made. */
  principal: PinnedPrincipal;
  /** The relying party and origins of the passkey confirmation page. */
  webauthn?: { rpId: string; origins: readonly string[]; requireUserVerification?: boolean };
}

/** The signing key, or the refusal code with a message for the voter. */
export type VoteSignatureResult =
  { ok: true; key: SigningKey } | { ok: false; code: VoteSignatureRefusal; message: string };

const refuse = (code: VoteSignatureRefusal, message: string): VoteSignatureResult => ({ ok: false, code, message });

/**
 * Checks that a vote is signed, over a payload that answers this request with this decision, by a key enrolled
 * for its principal. Pure and deterministic (no I/O, no clock): the vote update's validator calls it, and an
 * auditor's verify replays exactly the same decision from history.
 */
export function verifyVoteSignature(
  payload: unknown,
  signature: VoteSignature | undefined,
  expect: VoteExpectation,
): VoteSignatureResult {
  if (payload === undefined || signature === undefined)
    return refuse('SIGNATURE_REQUIRED', 'votes must be signed (cordon approve --key FILE, or the Slack passkey page)');
  const problem = votePayloadProblem(payload);
  if (problem) return refuse('BAD_SIGNATURE', `signed payload: ${problem}`);
  const p = payload as VotePayload;
  const { request, vote } = expect;
  // An earlier request (or round) of this step had another nonce: the signature answers a question no longer asked.
  if (p.nonce !== request.nonce || p.round !== request.round)
    return refuse(
      'STALE_NONCE',
      `signed for request ${p.nonce} (round ${p.round}), not the open ${request.nonce} (round ${request.round})`,
    );
  for (const k of ['incidentId', 'stepId', 'planHash'] as const)
    if (p[k] !== request[k]) return refuse('BAD_SIGNATURE', `signed ${k} ${p[k]} is not ${request[k]}`);
  if (p.decision !== vote.decision || p.reason !== vote.reason)
    return refuse('BAD_SIGNATURE', 'the signed decision or reason differs from the vote');
  if (signature.kind === 'sshsig') {
    const r = verifySshsig(signature.armored, {
      message: votePayloadBytes(p),
      namespace: VOTE_NAMESPACE,
      allowedKeys: expect.principal.keys.ssh,
    });
    if (r.ok) return { ok: true, key: { kind: 'ssh', fingerprint: r.fingerprint } };
    return r.problem === 'KEY_NOT_ALLOWED'
      ? refuse('UNKNOWN_KEY', `${r.message} (${expect.principal.id})`)
      : refuse('BAD_SIGNATURE', `${r.problem}: ${r.message}`);
  }
  if (signature.kind === 'webauthn') {
    const credential = expect.principal.keys.webauthn.find((c) => c.id === signature.assertion.credentialId);
    if (!credential)
      return refuse(
        'UNKNOWN_KEY',
        `passkey ${signature.assertion.credentialId} is not enrolled for ${expect.principal.id}`,
      );
    if (!expect.webauthn) return refuse('BAD_SIGNATURE', 'passkey votes are not configured (no relying party)');
    const r = verifyWebAuthnAssertion(signature.assertion, credential, {
      challenge: voteChallenge(p),
      rpId: expect.webauthn.rpId,
      origins: expect.webauthn.origins,
      ...(expect.webauthn.requireUserVerification ? { requireUserVerification: true } : {}),
    });
    return r.ok
      ? {
          ok: true,
          key: { kind: 'webauthn', credentialId: credential.id, userVerified: r.userVerified, signCount: r.signCount },
        }
      : refuse('BAD_SIGNATURE', `${r.problem}: ${r.message}`);
  }
  return refuse('BAD_SIGNATURE', `unknown signature kind ${JSON.stringify((signature as { kind?: unknown }).kind)}`);
}
