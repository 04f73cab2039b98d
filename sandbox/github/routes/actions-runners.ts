import { notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { runner } from '../serialize/actions';
import type { RunnerState } from '../state';

function list(ctx: HandlerContext, runners: Map<number, RunnerState>) {
  const name = ctx.query.name as string | undefined;
  const all = [...runners.values()].filter((r) => name === undefined || r.name === name).sort((a, b) => a.id - b.id);
  return ok({ total_count: all.length, runners: ctx.page(all).map(runner) });
}

function get(runners: Map<number, RunnerState>, id: string | undefined) {
  const r = runners.get(Number(id));
  if (!r) throw notFound();
  return ok(runner(r));
}

function remove(runners: Map<number, RunnerState>, id: string | undefined) {
  if (!runners.delete(Number(id))) throw notFound();
  return noContent();
}

/**
 * Self-hosted runners at organisation and repository level. Their registration time is not part of GitHub's
 * API; the sandbox keeps it in state for drills. https://docs.github.com/rest/actions/self-hosted-runners
 */
export const runnerRoutes: RouteTable = {
  'actions/list-self-hosted-runners-for-org': (ctx) => {
    ctx.org();
    return list(ctx, ctx.state.orgRunners);
  },
  'actions/get-self-hosted-runner-for-org': (ctx) => {
    ctx.org();
    return get(ctx.state.orgRunners, ctx.params.runner_id);
  },
  'actions/delete-self-hosted-runner-from-org': (ctx) => {
    ctx.org();
    return remove(ctx.state.orgRunners, ctx.params.runner_id);
  },
  'actions/list-self-hosted-runners-for-repo': (ctx) => list(ctx, ctx.repo().runners),
  'actions/get-self-hosted-runner-for-repo': (ctx) => get(ctx.repo().runners, ctx.params.runner_id),
  'actions/delete-self-hosted-runner-from-repo': (ctx) => remove(ctx.repo().runners, ctx.params.runner_id),
};
