import { parseDateRange, inDateRange } from '../date-range';
import { conflict, notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { workflowJob, workflowRun } from '../serialize/actions';
import type { RunState } from '../state';

/**
 * Filters that make GitHub search runs, which caps the result at 1,000 runs per query.
 * https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
 */
const SEARCH_FILTERS = ['actor', 'branch', 'check_suite_id', 'created', 'event', 'head_sha', 'status'];
export const RUN_SEARCH_CAP = 1000;

function listRuns(ctx: HandlerContext, workflowId?: number) {
  const repo = ctx.repo();
  const q = ctx.query;
  const created = typeof q.created === 'string' ? parseDateRange(q.created) : undefined;
  const runs = [...repo.runs.values()]
    .filter((r) => workflowId === undefined || r.workflowId === workflowId)
    .filter((r) => q.branch === undefined || r.headBranch === q.branch)
    .filter((r) => q.event === undefined || r.event === q.event)
    .filter((r) => q.head_sha === undefined || r.headSha === q.head_sha)
    // `status` matches either the status or the conclusion (`status=success` finds completed, successful runs).
    .filter((r) => q.status === undefined || r.status === q.status || conclusionOf(r) === q.status)
    .filter((r) => !created || inDateRange(created, Date.parse(r.createdAt)))
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  const searched = SEARCH_FILTERS.some((f) => q[f] !== undefined);
  const visible = searched ? runs.slice(0, RUN_SEARCH_CAP) : runs;
  return ok({
    total_count: runs.length,
    workflow_runs: ctx.page(visible).map((r) => workflowRun(ctx.baseUrl, ctx.state, repo, r)),
  });
}

function conclusionOf(run: RunState): string | null {
  return run.status === 'completed' ? (run.conclusion ?? 'success') : null;
}

function runOf(ctx: HandlerContext): RunState {
  const run = ctx.repo().runs.get(Number(ctx.params.run_id));
  if (!run) throw notFound();
  return run;
}

/** Workflow runs: list (with GitHub's filters and search cap), get, jobs, cancel, logs. */
export const runRoutes: RouteTable = {
  'actions/list-workflow-runs-for-repo': (ctx) => listRuns(ctx),
  'actions/list-workflow-runs': (ctx) => {
    const repo = ctx.repo();
    const id = ctx.params.workflow_id ?? '';
    const wf = [...repo.workflows.values()].find((w) => String(w.id) === id || w.path.endsWith(`/${id}`));
    if (!wf) throw notFound();
    return listRuns(ctx, wf.id);
  },
  'actions/get-workflow-run': (ctx) => ok(workflowRun(ctx.baseUrl, ctx.state, ctx.repo(), runOf(ctx))),
  'actions/cancel-workflow-run': (ctx) => {
    const run = runOf(ctx);
    // https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run answers 409 for finished runs.
    if (run.status === 'completed') throw conflict('Cannot cancel a workflow run that is completed.');
    run.status = 'completed';
    run.conclusion = 'cancelled';
    run.updatedAt = ctx.now().toISOString();
    return { status: 202, body: {} };
  },
  'actions/download-workflow-run-logs': (ctx) => {
    const run = runOf(ctx);
    if (run.logsDeleted) throw notFound();
    // GitHub redirects to a short-lived archive URL on its storage host; the sandbox serves it under /_blob/.
    const location = `${ctx.baseUrl}/_blob/logs/${ctx.repo().id}/${run.id}.zip`;
    return { status: 302, headers: { location } };
  },
  'actions/list-jobs-for-workflow-run': (ctx) => {
    const repo = ctx.repo();
    const jobs = [workflowJob(ctx.baseUrl, ctx.state, repo, runOf(ctx))];
    return ok({ total_count: jobs.length, jobs: ctx.page(jobs) });
  },
  'actions/delete-workflow-run-logs': (ctx) => {
    runOf(ctx).logsDeleted = true;
    return noContent();
  },
};
