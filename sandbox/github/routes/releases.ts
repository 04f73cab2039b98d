import { notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { HTML_BASE, nodeId, SANDBOX_ACTOR, simpleUser } from '../serialize/common';
import { repoUrl } from '../serialize/git';
import type { ReleaseState } from '../state';

function release(ctx: HandlerContext, r: ReleaseState) {
  const repo = ctx.repo();
  const url = `${repoUrl(ctx.baseUrl, ctx.state, repo)}/releases/${r.id}`;
  return {
    url,
    html_url: `${HTML_BASE}/${ctx.state.org.login}/${repo.name}/releases/tag/${r.tagName}`,
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${ctx.state.org.login}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    tarball_url: `${repoUrl(ctx.baseUrl, ctx.state, repo)}/tarball/${r.tagName}`,
    zipball_url: `${repoUrl(ctx.baseUrl, ctx.state, repo)}/zipball/${r.tagName}`,
    id: r.id,
    node_id: nodeId('RE', r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name ?? r.tagName,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    created_at: r.createdAt,
    published_at: r.draft ? null : (r.publishedAt ?? r.createdAt),
    author: simpleUser(ctx.baseUrl, SANDBOX_ACTOR.login, SANDBOX_ACTOR.id, 'Bot'),
    assets: r.assets.map((a) => ({
      url: `${repoUrl(ctx.baseUrl, ctx.state, repo)}/releases/assets/${a.id}`,
      browser_download_url: `${HTML_BASE}/${ctx.state.org.login}/${repo.name}/releases/download/${r.tagName}/${a.name}`,
      id: a.id,
      node_id: nodeId('RA', a.id),
      name: a.name,
      label: null,
      state: 'uploaded',
      content_type: a.contentType,
      size: a.size,
      digest: a.digest,
      download_count: a.downloadCount,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      uploader: simpleUser(ctx.baseUrl, SANDBOX_ACTOR.login, SANDBOX_ACTOR.id, 'Bot'),
    })),
  };
}

function releaseOf(ctx: HandlerContext): ReleaseState {
  const r = ctx.repo().releases.get(Number(ctx.params.release_id));
  if (!r) throw notFound();
  return r;
}

/** Releases: list, get, update (e.g. back to draft to withdraw), delete. https://docs.github.com/rest/releases */
export const releaseRoutes: RouteTable = {
  'repos/list-releases': (ctx) => {
    const all = [...ctx.repo().releases.values()].sort(
      (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id,
    );
    return ok(ctx.page(all).map((r) => release(ctx, r)));
  },
  'repos/get-release': (ctx) => ok(release(ctx, releaseOf(ctx))),
  'repos/update-release': (ctx) => {
    const r = releaseOf(ctx);
    const body = ctx.body as {
      tag_name?: string;
      name?: string;
      body?: string;
      draft?: boolean;
      prerelease?: boolean;
      target_commitish?: string;
    };
    if (body.tag_name !== undefined) r.tagName = body.tag_name;
    if (body.name !== undefined) r.name = body.name;
    if (body.body !== undefined) r.body = body.body;
    if (body.draft !== undefined) r.draft = body.draft;
    if (body.prerelease !== undefined) r.prerelease = body.prerelease;
    if (body.target_commitish !== undefined) r.targetCommitish = body.target_commitish;
    return ok(release(ctx, r));
  },
  'repos/delete-release': (ctx) => {
    ctx.repo().releases.delete(releaseOf(ctx).id);
    return noContent();
  },
};
