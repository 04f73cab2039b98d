import type { GitHubClient } from './client';
import type { RunnerRef } from './types';

interface RawRunner {
  id: number;
  name: string;
  os: string;
  status: string;
  busy: boolean;
  labels: Array<{ name: string }>;
}

function toRef(r: RawRunner, scope: string): RunnerRef {
  return {
    id: r.id,
    name: r.name,
    os: r.os,
    status: r.status,
    busy: r.busy,
    labels: r.labels.map((l) => l.name),
    scope,
  };
}

/** The organisation's self-hosted runners. https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization */
export async function listOrgRunners(octokit: GitHubClient, org: string): Promise<RunnerRef[]> {
  const runners = await octokit.paginate('GET /orgs/{org}/actions/runners', { org, per_page: 100 });
  return runners.map((r) => toRef(r, 'org'));
}

/** A repository's own self-hosted runners. https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository */
export async function listRepoRunners(octokit: GitHubClient, owner: string, repo: string): Promise<RunnerRef[]> {
  const runners = await octokit.paginate('GET /repos/{owner}/{repo}/actions/runners', { owner, repo, per_page: 100 });
  return runners.map((r) => toRef(r, `${owner}/${repo}`));
}
