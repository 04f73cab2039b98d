import type { DeploymentState, RepoState, SandboxState } from '../state';
import { HTML_BASE, nodeId, SANDBOX_ACTOR, simpleUser } from './common';
import { repoUrl } from './git';

type Status = DeploymentState['statuses'][number];

/** The `deployment` shape. */
export function deployment(base: string, state: SandboxState, repo: RepoState, d: DeploymentState) {
  const url = `${repoUrl(base, state, repo)}/deployments/${d.id}`;
  const last = d.statuses[d.statuses.length - 1];
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: {},
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: simpleUser(base, SANDBOX_ACTOR.login, SANDBOX_ACTOR.id, 'Bot'),
    created_at: d.createdAt,
    updated_at: last?.createdAt ?? d.createdAt,
    statuses_url: `${url}/statuses`,
    repository_url: repoUrl(base, state, repo),
    transient_environment: false,
    production_environment: d.environment === 'production',
  };
}

/** The `deployment-status` shape. */
export function deploymentStatus(base: string, state: SandboxState, repo: RepoState, d: DeploymentState, s: Status) {
  const deploymentUrl = `${repoUrl(base, state, repo)}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: simpleUser(base, SANDBOX_ACTOR.login, SANDBOX_ACTOR.id, 'Bot'),
    description: s.description,
    environment: d.environment,
    // The description declares these `format: uri`, so the sandbox points them at the deployments page.
    target_url: `${HTML_BASE}/${state.org.login}/${repo.name}/deployments`,
    log_url: `${HTML_BASE}/${state.org.login}/${repo.name}/deployments`,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: deploymentUrl,
    repository_url: repoUrl(base, state, repo),
  };
}
