import { ApplicationFailure } from '@temporalio/common';
import type { GitHubClient } from '../client';
import { call, repoParams } from './targets';
import { FailureType } from '../../../domain/failures';

/** A deployment as the rollback reads it. */
export interface DeploymentRef {
  id: number;
  sha: string;
  environment: string;
  description: string | null;
  createdAt: string;
}

/** Deployments of a repository (newest first, as GitHub lists them), filtered by `sha` or `environment`. */
export async function listDeployments(
  octokit: GitHubClient,
  repo: string,
  filter: { sha?: string; environment?: string },
): Promise<DeploymentRef[]> {
  const list = await call(`list deployments of ${repo}`, () =>
    octokit.paginate(octokit.rest.repos.listDeployments, { ...repoParams(repo), ...filter, per_page: 100 }),
  );
  return list.map((d) => ({
    id: Number(d.id),
    sha: d.sha,
    environment: d.environment,
    description: d.description,
    createdAt: d.created_at,
  }));
}

/**
 * Creates a deployment of `sha` to `environment` unless the environment's newest deployment already is that SHA
 * with the same description (a retried apply), and returns its id. The description names the incident: it is
 * the idempotency key GitHub keeps for us. Only the newest counts, so rolling back again after an undo deploys
 * again. `auto_merge: false` deploys the SHA as is instead of merging the default branch into it, and
 * `required_contexts: []` skips commit-status checks that an incident may have left failing.
 * https://docs.github.com/rest/deployments/deployments#create-a-deployment
 */
export async function deployOnce(
  octokit: GitHubClient,
  repo: string,
  environment: string,
  sha: string,
  description: string,
  payload: Record<string, unknown>,
): Promise<{ id: number; created: boolean }> {
  const [newest] = await listDeployments(octokit, repo, { environment });
  if (newest?.sha === sha && newest.description === description) return { id: newest.id, created: false };
  const { data } = await call(`deploy ${sha} to ${repo} ${environment}`, () =>
    octokit.rest.repos.createDeployment({
      ...repoParams(repo),
      ref: sha,
      environment,
      description,
      payload,
      auto_merge: false,
      required_contexts: [],
    }),
  );
  // 202 means GitHub merged the default branch instead of deploying; auto_merge: false rules it out.
  if (!('id' in data)) {
    throw ApplicationFailure.create({
      type: FailureType.DeploymentNotCreated,
      message: `deploy ${sha} to ${repo} ${environment}: GitHub answered 202 without creating a deployment`,
      nonRetryable: true,
    });
  }
  return { id: Number(data.id), created: true };
}

/**
 * Marks a deployment `inactive` with `description`, unless its latest status already says so (a retried apply).
 * Returns whether this call added the status. https://docs.github.com/rest/deployments/statuses#create-a-deployment-status
 */
export async function deactivateOnce(
  octokit: GitHubClient,
  repo: string,
  deploymentId: number,
  description: string,
): Promise<boolean> {
  const p = { ...repoParams(repo), deployment_id: deploymentId };
  const { data: statuses } = await call(`list statuses of deployment ${repo}#${deploymentId}`, () =>
    octokit.rest.repos.listDeploymentStatuses({ ...p, per_page: 1 }),
  );
  const last = statuses[0];
  if (last?.state === 'inactive' && last.description === description) return false;
  await call(`deactivate deployment ${repo}#${deploymentId}`, () =>
    octokit.rest.repos.createDeploymentStatus({ ...p, state: 'inactive', description }),
  );
  return true;
}

/** GitHub keeps at most 140 characters of a deployment status description. */
export function clip(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
