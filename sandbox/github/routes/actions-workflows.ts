import { notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { workflow } from '../serialize/actions';
import type { WorkflowState } from '../state';

/** `workflow_id` is the numeric id or the workflow's file name (`ci.yml`). */
function workflowOf(ctx: HandlerContext): WorkflowState {
  const id = ctx.params.workflow_id ?? '';
  const wf = [...ctx.repo().workflows.values()].find((w) => String(w.id) === id || w.path.endsWith(`/${id}`));
  if (!wf) throw notFound();
  return wf;
}

function setState(ctx: HandlerContext, state: WorkflowState['state']) {
  const wf = workflowOf(ctx);
  wf.state = state;
  wf.updatedAt = ctx.now().toISOString();
  return noContent();
}

/** Workflows: list, get, disable, enable. https://docs.github.com/rest/actions/workflows */
export const workflowRoutes: RouteTable = {
  'actions/list-repo-workflows': (ctx) => {
    const repo = ctx.repo();
    const all = [...repo.workflows.values()].sort((a, b) => a.id - b.id);
    return ok({
      total_count: all.length,
      workflows: ctx.page(all).map((w) => workflow(ctx.baseUrl, ctx.state, repo, w)),
    });
  },
  'actions/get-workflow': (ctx) => ok(workflow(ctx.baseUrl, ctx.state, ctx.repo(), workflowOf(ctx))),
  'actions/disable-workflow': (ctx) => setState(ctx, 'disabled_manually'),
  'actions/enable-workflow': (ctx) => setState(ctx, 'active'),
};
