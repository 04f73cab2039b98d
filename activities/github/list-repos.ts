import type { GitHubClient } from './client';
import type { RepoRef } from './types';

/**
 * Every repository of the organisation, 100 per page (the maximum), following GitHub's `link` headers.
 * https://docs.github.com/rest/repos/repos#list-organization-repositories
 */
export async function listOrgRepos(octokit: GitHubClient, org: string): Promise<RepoRef[]> {
  const repos = await octokit.paginate('GET /orgs/{org}/repos', { org, per_page: 100, type: 'all' });
  return repos
    .map((r) => ({
      owner: r.owner.login,
      name: r.name,
      fullName: r.full_name,
      id: Number(r.id),
      defaultBranch: r.default_branch ?? 'main',
      visibility: (r.visibility ?? (r.private ? 'private' : 'public')) as RepoRef['visibility'],
      archived: r.archived ?? false,
      pushedAt: r.pushed_at ?? null,
    }))
    .sort((a, b) => a.fullName.localeCompare(b.fullName));
}
