import { conflict, GitHubHttpError, notFound, validationFailed } from '../errors';
import { ok, noContent, type RouteTable } from '../handler';
import { githubBase64, gitCommit, gitRef, repoUrl } from '../serialize/git';
import { nodeId } from '../serialize/common';

/** Whether the client asked for raw bytes (`application/vnd.github.raw+json`, `…v3.raw`, `…raw`). */
export function wantsRaw(accept: string): boolean {
  return /application\/vnd\.github(\.v3)?\.raw/.test(accept);
}

/**
 * Git database: trees, blobs, refs, commits. Recursive trees are cut at the organisation's truncation limit and
 * marked `truncated`, after which clients must walk subtrees one by one.
 * https://docs.github.com/rest/git/trees#get-a-tree
 */
export const gitRoutes: RouteTable = {
  'git/get-tree': (ctx) => {
    const repo = ctx.repo();
    // https://docs.github.com/rest/git/trees#get-a-tree answers 409 for an empty repository.
    if (repo.git.refs.size === 0) throw conflict('Git Repository is empty.');
    const treeSha = repo.git.resolveTree(ctx.params.tree_sha ?? '');
    if (!treeSha) throw notFound();
    const url = repoUrl(ctx.baseUrl, ctx.state, repo);
    const recursive = ctx.query.recursive !== undefined;
    const tree = repo.git.objects.get(treeSha);
    const entries = recursive
      ? repo.git.walk(treeSha)
      : tree?.type === 'tree'
        ? tree.entries.map((e) => ({ ...e, path: e.name }))
        : [];
    const limit = ctx.state.org.treeTruncationLimit;
    const truncated = recursive && entries.length > limit;
    return ok({
      sha: treeSha,
      url: `${url}/git/trees/${treeSha}`,
      tree: (truncated ? entries.slice(0, limit) : entries).map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === 'blob'
          ? { size: repo.git.blob(e.sha)?.length ?? 0, url: `${url}/git/blobs/${e.sha}` }
          : { url: `${url}/git/trees/${e.sha}` }),
      })),
      truncated,
    });
  },
  'git/get-blob': (ctx) => {
    const repo = ctx.repo();
    const sha = ctx.params.file_sha ?? '';
    const content = repo.git.blob(sha);
    if (!content) throw notFound();
    if (wantsRaw(ctx.accept)) return { status: 200, raw: { contentType: 'application/vnd.github.raw', data: content } };
    return ok({
      sha,
      node_id: nodeId('B', sha),
      size: content.length,
      url: `${repoUrl(ctx.baseUrl, ctx.state, repo)}/git/blobs/${sha}`,
      content: githubBase64(content),
      encoding: 'base64',
    });
  },
  'git/get-commit': (ctx) => {
    const repo = ctx.repo();
    const commit = gitCommit(ctx.baseUrl, ctx.state, repo, repo.git, ctx.params.commit_sha ?? '');
    if (!commit) throw notFound();
    return ok(commit);
  },
  'git/get-ref': (ctx) => {
    const repo = ctx.repo();
    const name = ctx.params.ref ?? '';
    const sha = repo.git.refs.get(name);
    if (!sha) throw notFound();
    return ok(gitRef(ctx.baseUrl, ctx.state, repo, name, sha));
  },
  'git/create-ref': (ctx) => {
    const repo = ctx.repo();
    const { ref, sha } = ctx.body as { ref: string; sha: string };
    if (!/^refs\/(heads|tags)\/.+/.test(ref)) throw validationFailed('Reference name must start with refs/', 'ref');
    const name = ref.replace(/^refs\//, '');
    if (repo.git.refs.has(name)) throw validationFailed('Reference already exists', 'ref');
    if (repo.git.objects.get(sha)?.type !== 'commit') throw validationFailed('Object does not exist', 'sha');
    repo.git.refs.set(name, sha);
    return { status: 201, body: gitRef(ctx.baseUrl, ctx.state, repo, name, sha) };
  },
  'git/update-ref': (ctx) => {
    const repo = ctx.repo();
    const name = ctx.params.ref ?? '';
    const { sha } = ctx.body as { sha: string; force?: boolean };
    if (!repo.git.refs.has(name)) throw new GitHubHttpError(422, 'Reference does not exist');
    if (repo.git.objects.get(sha)?.type !== 'commit') throw validationFailed('Object does not exist', 'sha');
    repo.git.refs.set(name, sha);
    return ok(gitRef(ctx.baseUrl, ctx.state, repo, name, sha));
  },
  'git/delete-ref': (ctx) => {
    const repo = ctx.repo();
    if (!repo.git.refs.delete(ctx.params.ref ?? '')) throw new GitHubHttpError(422, 'Reference does not exist');
    return noContent();
  },
};
