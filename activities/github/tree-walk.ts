import type { GitHubClient } from './client';
import { mapLimit } from './concurrency';
import { isSkippedDir } from '../../lockfiles';

/** A blob or tree of a repository, with its path from the root. */
export interface TreeItem {
  path: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number;
}

interface Where {
  owner: string;
  repo: string;
}

/**
 * Every entry under a tree (given by SHA or ref), and the tree's SHA. One recursive request normally suffices; when GitHub truncates it (over 100,000
 * entries or 7 MB) the entries it did return are kept and only what is missing is fetched, as the docs advise:
 * "use the non-recursive method of fetching trees, and fetch one sub-tree at a time"
 * (https://docs.github.com/rest/git/trees#get-a-tree).
 *
 * The truncated answer is a pre-order walk cut short: a directory is complete unless it is an ancestor of the last
 * entry returned (or that entry itself). Those few directories are re-listed non-recursively; their children that
 * were never reached are fetched recursively, which recurses into this function when they are huge too.
 */
export async function walkTree(
  octokit: GitHubClient,
  where: Where,
  treeish: string,
  prefix = '',
): Promise<{ sha: string; items: TreeItem[]; truncated: boolean }> {
  const res = await getTree(octokit, where, treeish, true);
  const treeSha = res.sha;
  const items = res.items.map((i) => ({ ...i, path: join(prefix, i.path) }));
  if (!res.truncated) return { sha: treeSha, items: prune(items), truncated: false };

  const seen = new Set(items.map((i) => i.path));
  const out = [...items];
  const last = items[items.length - 1];
  const incomplete: Array<{ path: string; sha: string }> = [{ path: prefix, sha: treeSha }];
  if (last) {
    const parts = last.path.slice(prefix ? prefix.length + 1 : 0).split('/');
    for (let k = 1; k <= parts.length; k++) {
      const path = join(prefix, parts.slice(0, k).join('/'));
      const item = items.find((i) => i.path === path && i.type === 'tree');
      if (item) incomplete.push({ path, sha: item.sha });
    }
  }
  const unreached: TreeItem[] = [];
  for (const dir of incomplete) {
    if (isSkippedDir(dir.path.slice(dir.path.lastIndexOf('/') + 1))) continue;
    const children = await getTree(octokit, where, dir.sha, false);
    for (const child of children.items) {
      const path = join(dir.path, child.path);
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ ...child, path });
      if (child.type === 'tree' && !isSkippedDir(child.path)) unreached.push({ ...child, path });
    }
  }
  // Sibling subtrees are independent: fetch a few at once (the client's throttling still bounds concurrency).
  const subtrees = await mapLimit(unreached, 4, (t) => walkTree(octokit, where, t.sha, t.path));
  for (const sub of subtrees) for (const item of sub.items) if (!seen.has(item.path)) out.push(item);
  return { sha: treeSha, items: prune(out), truncated: true };
}

async function getTree(
  octokit: GitHubClient,
  where: Where,
  sha: string,
  recursive: boolean,
): Promise<{ sha: string; items: TreeItem[]; truncated: boolean }> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
    ...where,
    tree_sha: sha,
    ...(recursive ? { recursive: '1' } : {}),
  });
  return {
    sha: data.sha,
    truncated: data.truncated,
    items: data.tree.map((e) => ({
      path: e.path,
      type: e.type as TreeItem['type'],
      sha: e.sha,
      size: e.size ?? 0,
    })),
  };
}

/** Drops entries below `node_modules`/`.git`: installed copies, not the project's lockfiles. */
function prune(items: TreeItem[]): TreeItem[] {
  return items.filter((i) => !i.path.split('/').slice(0, -1).some(isSkippedDir));
}

function join(prefix: string, path: string): string {
  return prefix ? `${prefix}/${path}` : path;
}
