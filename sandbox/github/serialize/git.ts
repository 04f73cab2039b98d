import type { GitStore } from '../git-store';
import type { RepoState, SandboxState } from '../state';
import { HTML_BASE, nodeId } from './common';

/** The repository's API URL, `…/repos/{owner}/{repo}`. */
export function repoUrl(base: string, state: SandboxState, repo: RepoState): string {
  return `${base}/repos/${state.org.login}/${repo.name}`;
}

/** Base64 the way the Contents and Blobs APIs send it: wrapped every 60 characters with a trailing newline. */
export function githubBase64(content: Buffer): string {
  const b64 = content.toString('base64');
  return b64.length === 0 ? '' : `${b64.match(/.{1,60}/g)?.join('\n') ?? ''}\n`;
}

/** The `git-ref` shape. */
export function gitRef(base: string, state: SandboxState, repo: RepoState, name: string, sha: string) {
  const url = repoUrl(base, state, repo);
  return {
    ref: `refs/${name}`,
    node_id: nodeId('REF', `${repo.id}:${name}`),
    url: `${url}/git/refs/${name}`,
    object: { type: 'commit', sha, url: `${url}/git/commits/${sha}` },
  };
}

/** The `git-commit` shape, or undefined when `sha` is not a commit. */
export function gitCommit(base: string, state: SandboxState, repo: RepoState, git: GitStore, sha: string) {
  const obj = git.objects.get(sha);
  if (obj?.type !== 'commit') return undefined;
  const url = repoUrl(base, state, repo);
  const person = { ...obj.author, date: new Date(Date.parse(obj.date)).toISOString().replace(/\.000Z$/, 'Z') };
  return {
    sha,
    node_id: nodeId('C', sha),
    url: `${url}/git/commits/${sha}`,
    html_url: `${HTML_BASE}/${state.org.login}/${repo.name}/commit/${sha}`,
    author: person,
    committer: person,
    message: obj.message,
    tree: { sha: obj.tree, url: `${url}/git/trees/${obj.tree}` },
    parents: obj.parents.map((p) => ({
      sha: p,
      url: `${url}/git/commits/${p}`,
      html_url: `${HTML_BASE}/${state.org.login}/${repo.name}/commit/${p}`,
    })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

/** One item of a directory listing (`content-directory`) or the metadata part of `content-file`. */
export function contentEntry(
  base: string,
  state: SandboxState,
  repo: RepoState,
  entry: { path: string; sha: string; type: 'blob' | 'tree'; size: number },
  ref: string,
) {
  const url = repoUrl(base, state, repo);
  const self = `${url}/contents/${encodeURI(entry.path)}?ref=${encodeURIComponent(ref)}`;
  const kind = entry.type === 'blob' ? 'blob' : 'tree';
  const html = `${HTML_BASE}/${state.org.login}/${repo.name}/${kind}/${ref}/${encodeURI(entry.path)}`;
  const git = `${url}/git/${entry.type === 'blob' ? 'blobs' : 'trees'}/${entry.sha}`;
  return {
    type: entry.type === 'blob' ? ('file' as const) : ('dir' as const),
    name: entry.path.replace(/^.*\//, ''),
    path: entry.path,
    sha: entry.sha,
    size: entry.size,
    url: self,
    html_url: html,
    git_url: git,
    download_url:
      entry.type === 'blob'
        ? `https://raw.githubusercontent.com/${state.org.login}/${repo.name}/${ref}/${entry.path}`
        : null,
    _links: { self, git, html },
  };
}
