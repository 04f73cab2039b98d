import { GitHubHttpError, notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { HTML_BASE, simpleUser } from '../serialize/common';
import { minimalRepository } from '../serialize/repository';
import type { PackageState } from '../state';

type VersionState = PackageState['versions'][number];

function packageOf(ctx: HandlerContext): PackageState {
  ctx.org();
  const p = ctx.state.packages.get(`${ctx.params.package_type}/${ctx.params.package_name}`);
  if (!p) throw notFound();
  return p;
}

function versionOf(ctx: HandlerContext, p: PackageState): VersionState {
  const v = p.versions.find((x) => x.id === Number(ctx.params.package_version_id));
  if (!v) throw notFound();
  return v;
}

const active = (p: PackageState) => p.versions.filter((v) => v.deletedAt === null);

/** A package's API URL and its page on github.com. */
function packageUrls(ctx: HandlerContext, p: PackageState): { api: string; html: string } {
  const org = ctx.state.org.login;
  const name = encodeURIComponent(p.name);
  return {
    api: `${ctx.baseUrl}/orgs/${org}/packages/${p.packageType}/${name}`,
    html: `${HTML_BASE}/orgs/${org}/packages/${p.packageType}/package/${name}`,
  };
}

function packageJson(ctx: HandlerContext, p: PackageState) {
  const org = ctx.state.org.login;
  const repo = p.repository ? ctx.state.repo(org, p.repository) : undefined;
  const updated = [p.createdAt, ...active(p).map((v) => v.createdAt)].sort().at(-1)!;
  return {
    id: p.id,
    name: p.name,
    package_type: p.packageType,
    url: packageUrls(ctx, p).api,
    html_url: packageUrls(ctx, p).html,
    version_count: active(p).length,
    visibility: p.visibility,
    owner: simpleUser(ctx.baseUrl, org, ctx.state.org.id, 'Organization'),
    ...(repo ? { repository: minimalRepository(ctx.baseUrl, ctx.state, repo) } : {}),
    created_at: p.createdAt,
    updated_at: updated,
  };
}

function versionJson(ctx: HandlerContext, p: PackageState, v: VersionState) {
  const org = ctx.state.org.login;
  const urls = packageUrls(ctx, p);
  return {
    id: v.id,
    name: v.name,
    url: `${urls.api}/versions/${v.id}`,
    package_html_url: urls.html,
    html_url: `${HTML_BASE}/orgs/${org}/packages/${p.packageType}/${encodeURIComponent(p.name)}/${v.id}`,
    created_at: v.createdAt,
    updated_at: v.deletedAt ?? v.createdAt,
    ...(v.deletedAt ? { deleted_at: v.deletedAt } : {}),
    metadata: {
      package_type: p.packageType,
      ...(p.packageType === 'container' ? { container: { tags: v.tags } } : {}),
    },
  };
}

/**
 * GitHub Packages of the organisation: list packages by type, list a package's versions (active or deleted), delete
 * a version (GitHub refuses to delete the last one: the package itself must go) and restore a deleted one.
 * https://docs.github.com/rest/packages/packages
 */
export const packageRoutes: RouteTable = {
  'packages/list-packages-for-organization': (ctx) => {
    ctx.org();
    const type = ctx.query.package_type as string;
    const all = [...ctx.state.packages.values()]
      .filter((p) => p.packageType === type && active(p).length > 0)
      .sort((a, b) => a.id - b.id);
    return ok(ctx.page(all).map((p) => packageJson(ctx, p)));
  },
  'packages/get-package-for-organization': (ctx) => ok(packageJson(ctx, packageOf(ctx))),
  'packages/get-all-package-versions-for-package-owned-by-org': (ctx) => {
    const p = packageOf(ctx);
    const deleted = ctx.query.state === 'deleted';
    const all = p.versions
      .filter((v) => (v.deletedAt !== null) === deleted)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
    return ok(ctx.page(all).map((v) => versionJson(ctx, p, v)));
  },
  'packages/get-package-version-for-organization': (ctx) => {
    const p = packageOf(ctx);
    return ok(versionJson(ctx, p, versionOf(ctx, p)));
  },
  'packages/delete-package-version-for-org': (ctx) => {
    const p = packageOf(ctx);
    const v = versionOf(ctx, p);
    if (v.deletedAt !== null) throw notFound();
    if (active(p).length === 1)
      throw new GitHubHttpError(
        400,
        'You cannot delete the last tagged version of a package. You must delete the package instead.',
      );
    v.deletedAt = ctx.now().toISOString();
    return noContent();
  },
  'packages/restore-package-version-for-org': (ctx) => {
    const p = packageOf(ctx);
    const v = versionOf(ctx, p);
    if (v.deletedAt === null) throw notFound();
    v.deletedAt = null;
    return noContent();
  },
};
