import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64, toBase64 } from '../domain/signing/bytes';
import { votePayloadBytes, type VotePayload } from '../domain/signing/vote-payload';
import type { DecisionProof } from '../workflows/definitions';
import { ErrorCode, UserError } from '../config/errors';

/** Signs a decision's payload: how the CLI (ssh-keygen) or the Slack app (its attestation key) proves a vote. */
export type DecisionSigner = (payload: VotePayload) => Promise<DecisionProof>;

function seedOf(privateKeyB64: string): Uint8Array {
  const seed = fromBase64(privateKeyB64);
  if (!seed || seed.length !== 32)
    throw new UserError(
      'CORDON_SLACK_ATTESTATION_KEY: expected a raw Ed25519 key (32 bytes) in base64',
      ErrorCode.Config,
    );
  return seed;
}

/**
 * The Slack app's attestation that `slackUserId` pressed the button: an Ed25519 signature over the payload's
 * canonical bytes by the app's service key. It proves what Slack vouches for, no more: the validator records it as
 * slack-attested, and counts it only where the step's policy says `proof: slack`.
 */
export function slackAttester(privateKeyB64: string, slackUserId: string): DecisionSigner {
  const seed = seedOf(privateKeyB64);
  return async (payload) => ({
    kind: 'slack',
    slackUserId,
    attestation: toBase64(ed25519.sign(votePayloadBytes(payload), seed)),
  });
}

/** The public half of an attestation key (what workers are configured with), base64. */
export const attestationPublicKey = (privateKeyB64: string): string =>
  toBase64(ed25519.getPublicKey(seedOf(privateKeyB64)));
