// The shapes of signed decisions shared by the workflow (validator, pinned state), the engine activity that pins
// principals, and the clients that sign. Pure types: workflows/definitions.ts re-exports them.

/** How a decision is proven; the validator verifies it against keys pinned in history. */
export type DecisionProof =
  /** Armored SSHSIG over votePayloadBytes(payload), namespace `cordon-vote`. */
  | { kind: 'ssh'; signature: string }
  /** A passkey assertion whose challenge is voteChallenge(payload); every field base64url. */
  | { kind: 'webauthn'; credentialId: string; authenticatorData: string; clientDataJSON: string; signature: string }
  /**
   * Base64 Ed25519 signature over votePayloadBytes(payload) by the Slack app's service key (its public key is in
   * the worker's configuration and pinned with the approval): Slack vouches that `slackUserId` pressed the button.
   */
  | { kind: 'slack'; slackUserId: string; attestation: string };

/** A principal as pinned into history when an approval is requested (the engine activity returns it). */
export interface PinnedPrincipal {
  id: string;
  aliases: { cli?: string[]; slack?: string[]; email?: string[] };
  /** OpenSSH public key lines (`ssh-ed25519 AAAA…`). */
  sshKeys: string[];
  webauthn: { id: string; publicKey: string; alg: number }[];
}

/** What `cordon.resolvePrincipals` returns: the pinning of an approval request in history. */
export interface ResolvedPrincipals {
  principals: PinnedPrincipal[];
  /** The group's members as the lookup named them (aliases or Slack user ids), sorted: shown and mentioned. */
  members: string[];
  /** The principal behind the incident's initiator alias, when the directory knows it. */
  initiatorPrincipal?: string;
  /** Members of the group (Slack user ids) the approvers file does not map to anyone: they cannot vote. */
  unenrolled?: string[];
  /** The Slack app's attestation public key (raw Ed25519, base64), when the worker has one configured. */
  slackAttestationKey?: string;
}

/** How a vote was proven, as recorded: `policy` is the playbook's default on expiry. */
export type RecordedProof = 'ssh' | 'webauthn' | 'slack-attested' | 'policy';
