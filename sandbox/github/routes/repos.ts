import { ok, type RouteTable } from '../handler';
import { fullRepository, minimalRepository } from '../serialize/repository';
import type { RepoState } from '../state';

/**
 * Organisation repositories. Default order is `created` descending, as documented for
 * https://docs.github.com/rest/repos/repos#list-organization-repositories (ties broken by id so pages are stable).
 */
export const repoRoutes: RouteTable = {
  'repos/list-for-org': (ctx) => {
    ctx.org();
    const type = (ctx.query.type as string | undefined) ?? 'all';
    const sort = (ctx.query.sort as string | undefined) ?? 'created';
    const direction = (ctx.query.direction as string | undefined) ?? (sort === 'full_name' ? 'asc' : 'desc');
    const repos = [...ctx.state.repos.values()].filter((r) => matchesType(r, type));
    const key = (r: RepoState): string | number =>
      sort === 'full_name' ? r.name.toLowerCase() : Date.parse(sort === 'created' ? r.createdAt : r.pushedAt);
    repos.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
      return direction === 'asc' ? c : -c;
    });
    return ok(ctx.page(repos).map((r) => minimalRepository(ctx.baseUrl, ctx.state, r)));
  },
  'repos/get': (ctx) => ok(fullRepository(ctx.baseUrl, ctx.state, ctx.repo())),
};

function matchesType(repo: RepoState, type: string): boolean {
  switch (type) {
    case 'public':
      return repo.visibility === 'public';
    case 'private':
      return repo.visibility !== 'public';
    case 'forks':
      return false;
    default:
      return true;
  }
}
