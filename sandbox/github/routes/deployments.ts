import { notFound, validationFailed } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { deployment, deploymentStatus } from '../serialize/deployments';
import type { DeploymentState } from '../state';

function deploymentOf(ctx: HandlerContext): DeploymentState {
  const d = ctx.repo().deployments.get(Number(ctx.params.deployment_id));
  if (!d) throw notFound();
  return d;
}

/** Deployments and their statuses (newest first), as rollback uses them. https://docs.github.com/rest/deployments */
export const deploymentRoutes: RouteTable = {
  'repos/list-deployments': (ctx) => {
    const repo = ctx.repo();
    const q = ctx.query as { sha?: string; ref?: string; task?: string; environment?: string };
    const all = [...repo.deployments.values()]
      .filter((d) => (q.sha === undefined || d.sha === q.sha) && (q.ref === undefined || d.ref === q.ref))
      .filter(
        (d) =>
          (q.task === undefined || d.task === q.task) &&
          (q.environment === undefined || d.environment === q.environment),
      )
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
    return ok(ctx.page(all).map((d) => deployment(ctx.baseUrl, ctx.state, repo, d)));
  },
  'repos/get-deployment': (ctx) => ok(deployment(ctx.baseUrl, ctx.state, ctx.repo(), deploymentOf(ctx))),
  'repos/create-deployment': (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { ref: string; task?: string; environment?: string; description?: string | null };
    const sha = repo.git.resolveCommit(body.ref);
    if (!sha) throw validationFailed(`No ref found for: ${body.ref}`, 'ref');
    const d: DeploymentState = {
      id: ctx.state.newId(),
      sha,
      ref: body.ref,
      environment: body.environment ?? 'production',
      task: body.task ?? 'deploy',
      description: body.description ?? '',
      createdAt: ctx.now().toISOString(),
      statuses: [],
    };
    repo.deployments.set(d.id, d);
    return { status: 201, body: deployment(ctx.baseUrl, ctx.state, repo, d) };
  },
  'repos/delete-deployment': (ctx) => {
    const repo = ctx.repo();
    const d = deploymentOf(ctx);
    // Only inactive deployments can be deleted. https://docs.github.com/rest/deployments/deployments#delete-a-deployment
    if (d.statuses[d.statuses.length - 1]?.state === 'success') throw validationFailed('Deployment is still active');
    repo.deployments.delete(d.id);
    return noContent();
  },
  'repos/list-deployment-statuses': (ctx) => {
    const repo = ctx.repo();
    const d = deploymentOf(ctx);
    const all = [...d.statuses].reverse();
    return ok(ctx.page(all).map((s) => deploymentStatus(ctx.baseUrl, ctx.state, repo, d, s)));
  },
  'repos/get-deployment-status': (ctx) => {
    const repo = ctx.repo();
    const d = deploymentOf(ctx);
    const s = d.statuses.find((x) => x.id === Number(ctx.params.status_id));
    if (!s) throw notFound();
    return ok(deploymentStatus(ctx.baseUrl, ctx.state, repo, d, s));
  },
  'repos/create-deployment-status': (ctx) => {
    const repo = ctx.repo();
    const d = deploymentOf(ctx);
    const body = ctx.body as { state: DeploymentState['statuses'][number]['state']; description?: string };
    const s = {
      id: ctx.state.newId(),
      state: body.state,
      description: body.description ?? '',
      createdAt: ctx.now().toISOString(),
    };
    d.statuses.push(s);
    return { status: 201, body: deploymentStatus(ctx.baseUrl, ctx.state, repo, d, s) };
  },
};
