export { fromBase64, fromBase64Url, toBase64, toBase64Url } from './bytes';
export { parseSshKeyBlob, parseSshPublicKey, sameSshKey, sshFingerprint } from './ssh-key';
export type { SshKeyAlgorithm, SshKeyProblem, SshKeyResult, SshPublicKey } from './ssh-key';
export { armorSshsig, parseSshsig, verifySshsig, VOTE_NAMESPACE } from './sshsig';
export type { Sshsig, SshsigExpectation, SshsigHash, SshsigProblem, SshsigResult } from './sshsig';
export { verifyVoteSignature } from './verify-vote';
export type {
  SigningKey,
  VoteExpectation,
  VoteSignature,
  VoteSignatureRefusal,
  VoteSignatureResult,
} from './verify-vote';
export {
  VOTE_DECISIONS,
  VOTE_PAYLOAD_VERSION,
  voteChallenge,
  votePayloadBytes,
  votePayloadHash,
  votePayloadProblem,
} from './vote-payload';
export type { VoteDecision, VotePayload } from './vote-payload';
export { parseCoseKey, parseCredentialPublicKey, verifyWebAuthnAssertion } from './webauthn';
export type {
  CoseAlgorithm,
  CredentialKeyResult,
  WebAuthnAssertion,
  WebAuthnCredential,
  WebAuthnExpectation,
  WebAuthnProblem,
  WebAuthnResult,
} from './webauthn';
