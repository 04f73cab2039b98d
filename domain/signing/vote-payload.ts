import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../canonical-json';
import { toBase64Url } from './bytes';

/** The version of the payload layout below; a verifier refuses versions it does not know. */
export const VOTE_PAYLOAD_VERSION = 1;

/** What a vote decides. Stand-down and skip are decisions like approve and reject, and are signed the same way. */
export type VoteDecision = 'approve' | 'reject' | 'stand-down' | 'skip';

/** The decisions, in a stable order (for validation and CLI help). */
export const VOTE_DECISIONS: readonly VoteDecision[] = ['approve', 'reject', 'stand-down', 'skip'];

/**
 * Exactly what a voter signs. Each field binds the signature to one question so that it cannot be replayed
 * elsewhere: another incident or step, a later round of the same step, a changed plan, or another request
 * (the nonce is issued with the approval request).
 */
export interface VotePayload {
  v: typeof VOTE_PAYLOAD_VERSION;
  incidentId: string;
  stepId: string;
  /** The approval round of the step: a re-planned step asks again with a new round. */
  round: number;
  /** SHA-256 (hex) of the plan shown to the voter. */
  planHash: string;
  decision: VoteDecision;
  /** Free text; signed so that nobody can put other words in the voter's mouth. Empty when none was given. */
  reason: string;
  /** When the voter signed, ISO 8601 UTC (`2026-06-17T09:30:00.000Z`). */
  time: string;
  /** The nonce of the approval request this vote answers. */
  nonce: string;
}

/** The canonical bytes of a payload: UTF-8 of its canonical JSON (keys sorted). This is the signed message. */
export function votePayloadBytes(payload: VotePayload): Uint8Array {
  // Only the declared fields: a caller's extra properties must not change what is signed.
  const { v, incidentId, stepId, round, planHash, decision, reason, time, nonce } = payload;
  return utf8ToBytes(canonicalJson({ v, incidentId, stepId, round, planHash, decision, reason, time, nonce }));
}

/** SHA-256 of the canonical bytes. */
export function votePayloadHash(payload: VotePayload): Uint8Array {
  return sha256(votePayloadBytes(payload));
}

/** The WebAuthn challenge for a payload: base64url (unpadded) of its SHA-256, as clientDataJSON carries it. */
export function voteChallenge(payload: VotePayload): string {
  return toBase64Url(votePayloadHash(payload));
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Checks that an untrusted value (from an update's arguments) is a well-formed payload of the known version.
 * Returns the problem in words, or undefined when the payload is well formed.
 */
export function votePayloadProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'payload is not an object';
  const p = value as Record<string, unknown>;
  if (p.v !== VOTE_PAYLOAD_VERSION) return `unsupported payload version ${JSON.stringify(p.v)}`;
  for (const k of ['incidentId', 'stepId', 'planHash', 'nonce'] as const)
    if (typeof p[k] !== 'string' || p[k] === '') return `${k} must be a non-empty string`;
  if (typeof p.reason !== 'string') return 'reason must be a string';
  if (typeof p.round !== 'number' || !Number.isSafeInteger(p.round) || p.round < 0)
    return 'round must be a non-negative integer';
  if (!VOTE_DECISIONS.includes(p.decision as VoteDecision))
    return `decision must be one of ${VOTE_DECISIONS.join(', ')}`;
  if (typeof p.time !== 'string' || !ISO_UTC.test(p.time) || Number.isNaN(Date.parse(p.time)))
    return 'time must be an ISO 8601 UTC timestamp';
  const extra = Object.keys(p).filter(
    (k) => !['v', 'incidentId', 'stepId', 'round', 'planHash', 'decision', 'reason', 'time', 'nonce'].includes(k),
  );
  if (extra.length > 0) return `unknown payload field(s) ${extra.join(', ')}`;
  return undefined;
}
