import type { GitHubClient } from './client';
import type { OrgSecretRef, RepoSecretNames } from './types';

/**
 * The organisation's Actions secrets (names, visibility) and, for `selected` ones, which repositories can read
 * them. https://docs.github.com/rest/actions/secrets#list-organization-secrets
 */
export async function listOrgSecrets(octokit: GitHubClient, org: string): Promise<OrgSecretRef[]> {
  const secrets = await octokit.paginate('GET /orgs/{org}/actions/secrets', { org, per_page: 100 });
  const out: OrgSecretRef[] = [];
  for (const s of secrets) {
    const ref: OrgSecretRef = { name: s.name, visibility: s.visibility, updatedAt: s.updated_at };
    if (s.visibility === 'selected') {
      const repos = await octokit.paginate('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', {
        org,
        secret_name: s.name,
        per_page: 100,
      });
      ref.selectedRepositories = repos.map((r) => r.full_name).sort();
    }
    out.push(ref);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Secret names a repository's runs can read: its own, each environment's, and the organisation's visible to it
 * (`all`; `private` for private and internal repositories; `selected` when listed).
 * https://docs.github.com/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions
 */
export async function listRepoSecretNames(
  octokit: GitHubClient,
  repo: { owner: string; name: string; visibility?: 'public' | 'private' | 'internal' },
  orgSecrets: OrgSecretRef[],
): Promise<RepoSecretNames> {
  const where = { owner: repo.owner, repo: repo.name };
  const fullName = `${repo.owner}/${repo.name}`;
  const visibility =
    repo.visibility ?? ((await octokit.request('GET /repos/{owner}/{repo}', where)).data.visibility as string);
  const own = await octokit.paginate('GET /repos/{owner}/{repo}/actions/secrets', { ...where, per_page: 100 });
  const envs = await octokit.paginate('GET /repos/{owner}/{repo}/environments', { ...where, per_page: 100 });
  const environments: RepoSecretNames['environments'] = [];
  for (const env of envs) {
    const secrets = await octokit.paginate('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', {
      ...where,
      environment_name: env.name,
      per_page: 100,
    });
    environments.push({ name: env.name, secrets: secrets.map((s) => s.name).sort() });
  }
  const organization = orgSecrets
    .filter((s) =>
      s.visibility === 'all'
        ? true
        : s.visibility === 'private'
          ? visibility !== 'public'
          : (s.selectedRepositories ?? []).some((r) => r.toLowerCase() === fullName.toLowerCase()),
    )
    .map((s) => s.name);
  return {
    repo: fullName,
    repository: own.map((s) => s.name).sort(),
    environments: environments.sort((a, b) => a.name.localeCompare(b.name)),
    organization,
  };
}
