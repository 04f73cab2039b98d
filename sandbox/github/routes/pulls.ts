import { notFound, validationFailed } from '../errors';
import { ok, type HandlerContext, type RouteTable } from '../handler';
import { HTML_BASE, nodeId, SANDBOX_ACTOR, simpleUser } from '../serialize/common';
import { repoUrl } from '../serialize/git';
import { fullRepository } from '../serialize/repository';
import type { PullState } from '../state';

function pull(ctx: HandlerContext, p: PullState) {
  const repo = ctx.repo();
  const api = repoUrl(ctx.baseUrl, ctx.state, repo);
  const url = `${api}/pulls/${p.number}`;
  const html = `${HTML_BASE}/${ctx.state.org.login}/${repo.name}/pull/${p.number}`;
  const issue = `${api}/issues/${p.number}`;
  const user = simpleUser(ctx.baseUrl, SANDBOX_ACTOR.login, SANDBOX_ACTOR.id, 'Bot');
  const org = simpleUser(ctx.baseUrl, ctx.state.org.login, ctx.state.org.id, 'Organization');
  const side = (ref: string) => ({
    label: `${ctx.state.org.login}:${ref}`,
    ref,
    sha: repo.git.refs.get(`heads/${ref}`) ?? '',
    user: org,
    repo: fullRepository(ctx.baseUrl, ctx.state, repo),
  });
  return {
    url,
    id: p.id,
    node_id: nodeId('PR', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api}/statuses/${side(p.head).sha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user,
    body: p.body,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(p.head),
    base: side(p.base),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${side(p.head).sha}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: false,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 1,
    changed_files: 1,
  };
}

function pullOf(ctx: HandlerContext): PullState {
  const p = ctx.repo().pulls.get(Number(ctx.params.pull_number));
  if (!p) throw notFound();
  return p;
}

/** Pull requests: list, get, open (from an existing branch), update (title/body/state). https://docs.github.com/rest/pulls */
export const pullRoutes: RouteTable = {
  'pulls/list': (ctx) => {
    const repo = ctx.repo();
    const q = ctx.query as { state?: string; head?: string; base?: string };
    const wanted = q.state ?? 'open';
    const all = [...repo.pulls.values()]
      .filter((p) => wanted === 'all' || p.state === wanted)
      .filter((p) => q.head === undefined || `${ctx.state.org.login}:${p.head}` === q.head || p.head === q.head)
      .filter((p) => q.base === undefined || p.base === q.base)
      .sort((a, b) => b.number - a.number);
    // The list returns `pull-request-simple`, a subset of the full shape.
    return ok(
      ctx.page(all).map((p) => {
        const {
          merged: _m,
          mergeable: _a,
          rebaseable: _r,
          mergeable_state: _s,
          merged_by: _b,
          comments: _c,
          review_comments: _rc,
          maintainer_can_modify: _mm,
          commits: _cm,
          additions: _ad,
          deletions: _d,
          changed_files: _cf,
          ...simple
        } = pull(ctx, p);
        return simple;
      }),
    );
  },
  'pulls/get': (ctx) => ok(pull(ctx, pullOf(ctx))),
  'pulls/create': (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { title?: string; head: string; base: string; body?: string };
    const head = body.head.replace(/^[^:]+:/, '');
    if (!repo.git.refs.has(`heads/${head}`)) throw validationFailed(`head ${body.head} does not exist`, 'head');
    if (!repo.git.refs.has(`heads/${body.base}`)) throw validationFailed(`base ${body.base} does not exist`, 'base');
    const open = [...repo.pulls.values()].find((p) => p.state === 'open' && p.head === head && p.base === body.base);
    if (open) throw validationFailed(`A pull request already exists for ${ctx.state.org.login}:${head}.`);
    const now = ctx.now().toISOString();
    const number = Math.max(0, ...[...repo.pulls.keys()]) + 1;
    const p: PullState = {
      id: ctx.state.newId(),
      number,
      title: body.title ?? head,
      body: body.body ?? null,
      head,
      base: body.base,
      state: 'open',
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    repo.pulls.set(number, p);
    return { status: 201, body: pull(ctx, p) };
  },
  'pulls/update': (ctx) => {
    const p = pullOf(ctx);
    const body = ctx.body as { title?: string; body?: string; state?: 'open' | 'closed'; base?: string };
    const now = ctx.now().toISOString();
    if (body.title !== undefined) p.title = body.title;
    if (body.body !== undefined) p.body = body.body;
    if (body.base !== undefined) p.base = body.base;
    if (body.state !== undefined && body.state !== p.state) {
      p.state = body.state;
      p.closedAt = body.state === 'closed' ? now : null;
    }
    p.updatedAt = now;
    return ok(pull(ctx, p));
  },
};
