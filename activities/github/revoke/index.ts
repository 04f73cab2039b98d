import type { GitHubClient } from '../client';
import type { ActionHandlers } from '../../registry';
import { revokeTokens } from './revoke-tokens';

export { LEAKED_BATCH, PAT_BATCH, revokeTokens, tokenFingerprint } from './revoke-tokens';
export type { RevokeItem, RevokeTokensInput } from './revoke-tokens';

/** What the revoke activities need. */
export interface RevokeActivityDeps {
  /** `createGitHubClient(...)`: the sandbox's URL in drills and tests. */
  octokit: GitHubClient;
}

/** The real revoke-tokens action: `github.revokeTokens`. */
export function createRevokeActivities({ octokit }: RevokeActivityDeps) {
  return { 'github.revokeTokens': revokeTokens(octokit) } satisfies ActionHandlers;
}

/** The handlers `createRevokeActivities` returns. */
export type RevokeActivities = ReturnType<typeof createRevokeActivities>;
