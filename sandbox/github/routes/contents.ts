import { conflict, GitHubHttpError, notFound, validationFailed } from '../errors';
import { ok, type RouteTable } from '../handler';
import { contentEntry, githubBase64, gitCommit } from '../serialize/git';
import { wantsRaw } from './git';

/** Files above 1 MB come back without content in the JSON form; raw serves up to 100 MB. */
const JSON_CONTENT_LIMIT = 1024 * 1024;
const RAW_CONTENT_LIMIT = 100 * 1024 * 1024;

/**
 * Repository contents: read a file (JSON with base64, or raw) or a directory, and create/update a file on a
 * branch with a new commit. https://docs.github.com/rest/repos/contents
 */
export const contentRoutes: RouteTable = {
  'repos/get-content': (ctx) => {
    const repo = ctx.repo();
    if (repo.git.refs.size === 0) throw new GitHubHttpError(404, 'This repository is empty.');
    const ref = (ctx.query.ref as string | undefined) ?? repo.defaultBranch;
    const treeSha = repo.git.resolveTree(ref);
    if (!treeSha) throw notFound();
    const path = (ctx.params.path ?? '').replace(/\/+$/, '');
    const entry = repo.git.lookup(treeSha, path);
    if (!entry) throw notFound();
    if (entry.type === 'tree') {
      const tree = repo.git.objects.get(entry.sha);
      const entries = tree?.type === 'tree' ? tree.entries : [];
      return ok(
        entries.map((e) => {
          const size = e.type === 'blob' ? (repo.git.blob(e.sha)?.length ?? 0) : 0;
          return contentEntry(
            ctx.baseUrl,
            ctx.state,
            repo,
            { ...e, path: path ? `${path}/${e.name}` : e.name, size },
            ref,
          );
        }),
      );
    }
    const content = repo.git.blob(entry.sha) ?? Buffer.alloc(0);
    if (wantsRaw(ctx.accept)) {
      if (content.length > RAW_CONTENT_LIMIT)
        throw new GitHubHttpError(403, 'This API returns blobs up to 100 MB in size.');
      return { status: 200, raw: { contentType: 'application/vnd.github.raw', data: content } };
    }
    const meta = contentEntry(
      ctx.baseUrl,
      ctx.state,
      repo,
      { path, sha: entry.sha, type: 'blob', size: content.length },
      ref,
    );
    const big = content.length > JSON_CONTENT_LIMIT;
    return ok({ ...meta, content: big ? '' : githubBase64(content), encoding: big ? 'none' : 'base64' });
  },
  'repos/create-or-update-file-contents': (ctx) => {
    const repo = ctx.repo();
    const body = ctx.body as { message: string; content: string; sha?: string; branch?: string };
    const branch = body.branch ?? repo.defaultBranch;
    const head = repo.git.refs.get(`heads/${branch}`);
    if (!head) throw notFound();
    const headCommit = repo.git.objects.get(head);
    if (headCommit?.type !== 'commit') throw notFound();
    const path = ctx.params.path ?? '';
    const existing = repo.git.lookup(headCommit.tree, path);
    if (existing?.type === 'tree') throw validationFailed('path is a directory', 'path');
    // Updating needs the current blob SHA; a stale one is a conflict.
    // https://docs.github.com/rest/repos/contents#create-or-update-file-contents
    if (existing && body.sha === undefined) throw validationFailed('"sha" wasn\'t supplied.', 'sha');
    if (existing && body.sha !== existing.sha) throw conflict(`${path} does not match ${body.sha ?? ''}`);
    const blobs = repo.git.blobsOf(headCommit.tree);
    const blobSha = repo.git.writeBlob(Buffer.from(body.content, 'base64'));
    blobs.set(path, blobSha);
    const tree = repo.git.writeTreeFromBlobs(blobs);
    const date = ctx.now().toISOString();
    const commitSha = repo.git.writeCommit({ tree, parents: [head], message: body.message, date });
    repo.git.refs.set(`heads/${branch}`, commitSha);
    repo.pushedAt = date;
    const size = repo.git.blob(blobSha)?.length ?? 0;
    return {
      status: existing ? 200 : 201,
      body: {
        content: contentEntry(ctx.baseUrl, ctx.state, repo, { path, sha: blobSha, type: 'blob', size }, branch),
        commit: gitCommit(ctx.baseUrl, ctx.state, repo, repo.git, commitSha),
      },
    };
  },
};
