import { notFound } from '../errors';
import { noContent, ok, type RouteTable } from '../handler';
import { artifact, cache } from '../serialize/actions';

/** Artifacts and caches: list and delete. https://docs.github.com/rest/actions/artifacts, …/actions/cache */
export const artifactRoutes: RouteTable = {
  'actions/list-workflow-run-artifacts': (ctx) => {
    const repo = ctx.repo();
    const runId = Number(ctx.params.run_id);
    if (!repo.runs.has(runId)) throw notFound();
    const name = ctx.query.name as string | undefined;
    const all = [...repo.artifacts.values()].filter(
      (a) => a.runId === runId && (name === undefined || a.name === name),
    );
    return ok({
      total_count: all.length,
      artifacts: ctx.page(all).map((a) => artifact(ctx.baseUrl, ctx.state, repo, a)),
    });
  },
  'actions/list-artifacts-for-repo': (ctx) => {
    const repo = ctx.repo();
    const name = ctx.query.name as string | undefined;
    const all = [...repo.artifacts.values()]
      .filter((a) => name === undefined || a.name === name)
      .sort((a, b) => b.id - a.id);
    return ok({
      total_count: all.length,
      artifacts: ctx.page(all).map((a) => artifact(ctx.baseUrl, ctx.state, repo, a)),
    });
  },
  'actions/get-artifact': (ctx) => {
    const repo = ctx.repo();
    const a = repo.artifacts.get(Number(ctx.params.artifact_id));
    if (!a) throw notFound();
    return ok(artifact(ctx.baseUrl, ctx.state, repo, a));
  },
  'actions/delete-artifact': (ctx) => {
    if (!ctx.repo().artifacts.delete(Number(ctx.params.artifact_id))) throw notFound();
    return noContent();
  },
  'actions/get-actions-cache-list': (ctx) => {
    const repo = ctx.repo();
    const { ref, key } = ctx.query as { ref?: string; key?: string };
    const sort = (ctx.query.sort as string | undefined) ?? 'last_accessed_at';
    const dir = (ctx.query.direction as string | undefined) === 'asc' ? 1 : -1;
    const field = (c: ReturnType<typeof cache>): number | string =>
      sort === 'size_in_bytes' ? c.size_in_bytes : sort === 'created_at' ? c.created_at : c.last_accessed_at;
    const all = [...repo.caches.values()]
      .filter((c) => (ref === undefined || c.ref === ref) && (key === undefined || c.key.startsWith(key)))
      .map(cache)
      .sort((a, b) => (field(a) < field(b) ? -dir : field(a) > field(b) ? dir : 0));
    return ok({ total_count: all.length, actions_caches: ctx.page(all) });
  },
  'actions/delete-actions-cache-by-key': (ctx) => {
    const repo = ctx.repo();
    const { ref, key } = ctx.query as { ref?: string; key: string };
    const doomed = [...repo.caches.values()].filter((c) => c.key === key && (ref === undefined || c.ref === ref));
    if (doomed.length === 0) throw notFound();
    for (const c of doomed) repo.caches.delete(c.id);
    return ok({ total_count: doomed.length, actions_caches: doomed.map(cache) });
  },
  'actions/delete-actions-cache-by-id': (ctx) => {
    if (!ctx.repo().caches.delete(Number(ctx.params.cache_id))) throw notFound();
    return noContent();
  },
};
