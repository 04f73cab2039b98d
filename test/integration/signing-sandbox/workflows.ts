// A workflow that only verifies: proves the signing code runs inside the workflow sandbox (no Node built-ins,
// no Buffer), as the vote update's validator will run it.
import type { VoteExpectation, VoteSignature, VoteSignatureResult } from '../../../domain/signing';
import { verifyVoteSignature } from '../../../domain/signing';

/** Verifies one signed vote inside the sandbox and returns the verdict. */
export async function verifyVoteInSandbox(
  payload: unknown,
  signature: VoteSignature,
  expectation: VoteExpectation,
): Promise<VoteSignatureResult> {
  return verifyVoteSignature(payload, signature, expectation);
}
