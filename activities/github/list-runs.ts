import type { Logger } from '@temporalio/common';
import type { GitHubClient } from './client';
import type { RunJobRef, WorkflowRunRef } from './types';

/**
 * Searching runs (any `created` filter) returns at most 1,000 of them:
 * https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
 */
const SEARCH_CAP = 1000;

/**
 * Workflow runs created inside `[since, until]` (inclusive, second resolution). When a window holds more runs
 * than one search returns, it is halved until every part fits.
 */
export async function listRunsInWindow(
  octokit: GitHubClient,
  where: { owner: string; repo: string },
  since: number,
  until: number,
  logger?: Logger,
): Promise<WorkflowRunRef[]> {
  const from = Math.floor(since / 1000) * 1000;
  const to = Math.floor(until / 1000) * 1000;
  const runs = new Map<number, WorkflowRunRef>();
  const search = async (a: number, b: number): Promise<void> => {
    const { runs: page, total } = await fetchAll(octokit, where, `${iso(a)}..${iso(b)}`);
    if (page.length < total && b - a >= 2000) {
      const mid = a + Math.floor((b - a) / 2000) * 1000;
      await search(a, mid);
      await search(mid + 1000, b);
      return;
    }
    if (page.length < total) logger?.warn('more runs in one second than GitHub lists', { ...where, at: iso(a), total });
    for (const r of page) runs.set(r.id, r);
  };
  await search(from, to);
  return [...runs.values()].sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id - y.id);
}

async function fetchAll(
  octokit: GitHubClient,
  where: { owner: string; repo: string },
  created: string,
): Promise<{ runs: WorkflowRunRef[]; total: number }> {
  const runs: WorkflowRunRef[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs', {
      ...where,
      created,
      per_page: 100,
      page,
      exclude_pull_requests: true,
    });
    total = data.total_count;
    runs.push(
      ...data.workflow_runs.map((r) => ({
        id: Number(r.id),
        workflowId: r.workflow_id,
        workflowPath: r.path,
        name: r.name ?? r.display_title,
        event: r.event,
        status: r.status,
        conclusion: r.conclusion,
        headSha: r.head_sha,
        headBranch: r.head_branch,
        createdAt: r.created_at,
        runStartedAt: r.run_started_at ?? null,
        htmlUrl: r.html_url,
      })),
    );
    if (data.workflow_runs.length < 100 || runs.length >= Math.min(total, SEARCH_CAP)) break;
  }
  return { runs, total };
}

/** `2026-06-17T04:00:00Z`: the search syntax takes seconds, not milliseconds. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The jobs of a run with their runners' labels and groups.
 * https://docs.github.com/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run
 */
export async function listRunJobs(
  octokit: GitHubClient,
  where: { owner: string; repo: string },
  runId: number,
): Promise<RunJobRef[]> {
  const jobs = await octokit.paginate('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
    ...where,
    run_id: runId,
    filter: 'all',
    per_page: 100,
  });
  return jobs.map((j) => ({
    id: Number(j.id),
    name: j.name,
    labels: j.labels,
    runnerName: j.runner_name ?? null,
    runnerGroupName: j.runner_group_name ?? null,
    selfHosted:
      j.labels.some((l) => l.toLowerCase() === 'self-hosted') ||
      (j.runner_group_name != null && j.runner_group_name !== 'GitHub Actions'),
  }));
}
