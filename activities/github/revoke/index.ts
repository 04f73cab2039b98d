import type { GitHubClient } from '../client';
import type { ActionHandlers } from '../../registry';
import { revokeTokens } from './revoke-tokens';

export { LEAKED_BATCH, PAT_BATCH, revokeTokens, tokenFingerprint } from './revoke-tokens';
export type { RevokeItem, RevokeTokensInput } from './revoke-tokens';

/** The real revoke-tokens action: `github.revokeTokens`. */
export function createRevokeActions({ octokit }: { octokit: GitHubClient }): ActionHandlers {
  return { 'github.revokeTokens': revokeTokens(octokit) } as unknown as ActionHandlers;
}
