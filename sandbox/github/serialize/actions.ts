import type {
  ArtifactState,
  CacheState,
  OrgSecretState,
  RepoState,
  RunnerState,
  RunState,
  SandboxState,
  SecretState,
  WorkflowState,
} from '../state';
import { HTML_BASE, nodeId } from './common';
import { repoUrl } from './git';
import { minimalRepository } from './repository';

const READ_ONLY_LABELS = new Set(['self-hosted', 'linux', 'windows', 'macos', 'x64', 'arm', 'arm64']);

/** The `workflow` shape. */
export function workflow(base: string, state: SandboxState, repo: RepoState, wf: WorkflowState) {
  const url = repoUrl(base, state, repo);
  const html = `${HTML_BASE}/${state.org.login}/${repo.name}`;
  return {
    id: wf.id,
    node_id: nodeId('W', wf.id),
    name: wf.name ?? wf.path.replace(/^.*\//, ''),
    path: wf.path,
    state: wf.state,
    created_at: wf.createdAt,
    updated_at: wf.updatedAt,
    url: `${url}/actions/workflows/${wf.id}`,
    html_url: `${html}/blob/${repo.defaultBranch}/${wf.path}`,
    badge_url: `${html}/workflows/${encodeURIComponent(wf.name ?? wf.path)}/badge.svg`,
  };
}

/** The `workflow-run` shape. */
export function workflowRun(base: string, state: SandboxState, repo: RepoState, run: RunState) {
  const url = repoUrl(base, state, repo);
  const runUrl = `${url}/actions/runs/${run.id}`;
  const commit = repo.git.objects.get(run.headSha);
  const minimal = minimalRepository(base, state, repo);
  const completed = run.status === 'completed';
  return {
    id: run.id,
    name: run.workflowName,
    node_id: nodeId('WFR', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflowPath,
    display_title: run.workflowName,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: completed ? (run.conclusion ?? 'success') : null,
    workflow_id: run.workflowId,
    url: runUrl,
    html_url: `${HTML_BASE}/${state.org.login}/${repo.name}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt ?? run.createdAt,
    run_started_at: run.runStartedAt ?? run.createdAt,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${url}/check-suites/${run.id}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    workflow_url: `${url}/actions/workflows/${run.workflowId}`,
    head_commit: {
      id: run.headSha,
      tree_id: commit?.type === 'commit' ? commit.tree : run.headSha,
      message: commit?.type === 'commit' ? commit.message : 'commit',
      timestamp: run.createdAt,
      author: { name: 'sandbox', email: 'sandbox@cordon.invalid' },
      committer: { name: 'sandbox', email: 'sandbox@cordon.invalid' },
    },
    repository: minimal,
    head_repository: minimal,
  };
}

/**
 * The one job (`build`) the sandbox gives each run, carrying the runner it ran on: GitHub reports runner labels
 * and groups per job, not per run. https://docs.github.com/rest/actions/workflow-jobs
 */
export function workflowJob(base: string, state: SandboxState, repo: RepoState, run: RunState) {
  const url = repoUrl(base, state, repo);
  const id = run.id * 10 + 1;
  const jobStatuses = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
  const status = jobStatuses.includes(run.status) ? run.status : 'completed';
  const conclusion = run.status === 'completed' ? (run.conclusion ?? 'success') : null;
  return {
    id,
    run_id: run.id,
    run_url: `${url}/actions/runs/${run.id}`,
    run_attempt: 1,
    node_id: nodeId('CR', id),
    head_sha: run.headSha,
    head_branch: run.headBranch,
    url: `${url}/actions/jobs/${id}`,
    html_url: `${HTML_BASE}/${state.org.login}/${repo.name}/actions/runs/${run.id}/job/${id}`,
    status,
    conclusion: conclusion === 'stale' ? 'neutral' : conclusion,
    created_at: run.createdAt,
    started_at: run.runStartedAt ?? run.createdAt,
    completed_at: status === 'completed' ? (run.updatedAt ?? run.createdAt) : null,
    name: 'build',
    steps: [],
    check_run_url: `${url}/check-runs/${id}`,
    labels: run.runnerLabels,
    runner_id: run.selfHosted ? id : null,
    runner_name: run.runnerName ?? (run.selfHosted ? 'self-hosted' : 'GitHub Actions'),
    runner_group_id: run.selfHosted ? 1 : 0,
    runner_group_name: run.selfHosted ? 'Default' : 'GitHub Actions',
    workflow_name: run.workflowName,
  };
}

/** The `runner` shape; default labels are GitHub's read-only ones, others are custom. */
export function runner(r: RunnerState) {
  return {
    id: r.id,
    name: r.name,
    os: r.os,
    status: r.status,
    busy: r.busy,
    ephemeral: false,
    labels: r.labels.map((name, i) => ({
      id: r.id * 100 + i + 1,
      name,
      type: READ_ONLY_LABELS.has(name.toLowerCase()) ? ('read-only' as const) : ('custom' as const),
    })),
  };
}

/** The `artifact` shape (artifacts expire 90 days after creation by default). */
export function artifact(base: string, state: SandboxState, repo: RepoState, a: ArtifactState) {
  const url = repoUrl(base, state, repo);
  const run = repo.runs.get(a.runId);
  return {
    id: a.id,
    node_id: nodeId('MDg', a.id),
    name: a.name,
    size_in_bytes: a.sizeInBytes,
    url: `${url}/actions/artifacts/${a.id}`,
    archive_download_url: `${url}/actions/artifacts/${a.id}/zip`,
    expired: false,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    expires_at: new Date(Date.parse(a.createdAt) + 90 * 86_400_000).toISOString(),
    workflow_run: {
      id: a.runId,
      repository_id: repo.id,
      head_repository_id: repo.id,
      head_branch: run?.headBranch ?? repo.defaultBranch,
      head_sha: run?.headSha ?? '',
    },
  };
}

/** One item of `actions-cache-list`. */
export function cache(c: CacheState) {
  return {
    id: c.id,
    ref: c.ref,
    key: c.key,
    version: c.version,
    last_accessed_at: c.lastAccessedAt ?? c.createdAt,
    created_at: c.createdAt,
    size_in_bytes: c.sizeInBytes,
  };
}

/** The `actions-secret` shape: names and dates only; values never leave GitHub. */
export function secret(s: SecretState) {
  return { name: s.name, created_at: s.createdAt, updated_at: s.updatedAt };
}

/** The `organization-actions-secret` shape. */
export function orgSecret(base: string, org: string, s: OrgSecretState) {
  return {
    ...secret(s),
    visibility: s.visibility,
    ...(s.visibility === 'selected'
      ? { selected_repositories_url: `${base}/orgs/${org}/actions/secrets/${s.name}/repositories` }
      : {}),
  };
}

/** The `environment` shape. */
export function environment(
  base: string,
  state: SandboxState,
  repo: RepoState,
  env: { id: number; name: string; createdAt: string },
) {
  return {
    id: env.id,
    node_id: nodeId('EN', env.id),
    name: env.name,
    url: `${repoUrl(base, state, repo)}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${HTML_BASE}/${state.org.login}/${repo.name}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: env.createdAt,
    updated_at: env.createdAt,
    protection_rules: [],
    deployment_branch_policy: null,
  };
}
