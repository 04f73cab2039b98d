import { createHash } from 'node:crypto';

/** One entry of a git tree object, as the Trees API reports it. */
export interface TreeEntry {
  name: string;
  /** `100644` file, `100755` executable, `040000` directory (the API's spelling). */
  mode: '100644' | '100755' | '040000';
  type: 'blob' | 'tree';
  sha: string;
}

/** A git object held by the sandbox. */
export type GitObject =
  | { type: 'blob'; content: Buffer }
  | { type: 'tree'; entries: TreeEntry[] }
  | { type: 'commit'; tree: string; parents: string[]; message: string; date: string; author: GitAuthor };

/** Commit author/committer identity. */
export interface GitAuthor {
  name: string;
  email: string;
}

const SANDBOX_AUTHOR: GitAuthor = { name: 'sandbox', email: 'sandbox@cordon.invalid' };

/**
 * A content-addressed git object store for one repository: real git SHA-1s for blobs, trees and commits, so SHAs
 * the API returns are what `git hash-object` would compute and clients can cache or compare them.
 */
export class GitStore {
  readonly objects = new Map<string, GitObject>();
  /** `heads/<branch>` → commit SHA. */
  readonly refs = new Map<string, string>();

  /** Stores a blob and returns its SHA. */
  writeBlob(content: string | Buffer): string {
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return this.put(`blob ${buf.length}\0`, buf, { type: 'blob', content: buf });
  }

  /** Builds the nested trees for `path → blob SHA` and returns the root tree's SHA. */
  writeTreeFromBlobs(blobs: Map<string, string>): string {
    interface Dir {
      files: Map<string, string>;
      dirs: Map<string, Dir>;
    }
    const root: Dir = { files: new Map(), dirs: new Map() };
    for (const [path, sha] of blobs) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part);
        if (!next) dir.dirs.set(part, (next = { files: new Map(), dirs: new Map() }));
        dir = next;
      }
      dir.files.set(parts[parts.length - 1] ?? path, sha);
    }
    const write = (dir: Dir): string => {
      const entries: TreeEntry[] = [
        ...[...dir.files].map(([name, sha]): TreeEntry => ({ name, mode: '100644', type: 'blob', sha })),
        ...[...dir.dirs].map(([name, sub]): TreeEntry => ({ name, mode: '040000', type: 'tree', sha: write(sub) })),
      ];
      return this.writeTree(entries);
    };
    return write(root);
  }

  /** Stores a tree (entries sorted the way git sorts them) and returns its SHA. */
  writeTree(entries: TreeEntry[]): string {
    // git orders tree entries by name, comparing a directory's name as if it ended in '/'.
    const key = (e: TreeEntry): string => (e.type === 'tree' ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      sorted.map((e) =>
        Buffer.concat([
          Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.name}\0`),
          Buffer.from(e.sha, 'hex'),
        ]),
      ),
    );
    return this.put(`tree ${body.length}\0`, body, { type: 'tree', entries: sorted });
  }

  /** Stores a commit and returns its SHA. */
  writeCommit(input: { tree: string; parents: string[]; message: string; date: string; author?: GitAuthor }): string {
    const author = input.author ?? SANDBOX_AUTHOR;
    const when = `${Math.floor(Date.parse(input.date) / 1000)} +0000`;
    const text = [
      `tree ${input.tree}`,
      ...input.parents.map((p) => `parent ${p}`),
      `author ${author.name} <${author.email}> ${when}`,
      `committer ${author.name} <${author.email}> ${when}`,
      '',
      `${input.message}\n`,
    ].join('\n');
    const body = Buffer.from(text, 'utf8');
    return this.put(`commit ${body.length}\0`, body, { type: 'commit', ...input, author });
  }

  /**
   * Registers a commit under a SHA a spec names (a run's head SHA, a deployment's SHA) that the sandbox does not
   * model the history of, so the Deployments API can deploy it, as GitHub deploys any commit of the repository.
   * The object carries the given tree; its SHA is the spec's, not a hash of its content.
   */
  adoptCommit(sha: string, tree: string, date: string): void {
    if (this.objects.has(sha)) return;
    this.objects.set(sha, {
      type: 'commit',
      tree,
      parents: [],
      message: `Seeded commit ${sha.slice(0, 7)}`,
      date,
      author: SANDBOX_AUTHOR,
    });
  }

  /** Resolves a SHA, branch name, `heads/x` or `refs/heads/x` to a commit SHA. */
  resolveCommit(ref: string): string | undefined {
    const name = ref.replace(/^refs\//, '');
    const viaRef = this.refs.get(name) ?? this.refs.get(`heads/${name}`) ?? this.refs.get(`tags/${name}`);
    if (viaRef) return viaRef;
    return this.objects.get(ref)?.type === 'commit' ? ref : undefined;
  }

  /** The tree SHA named by a tree SHA, commit SHA or ref, as the Trees API accepts. */
  resolveTree(treeish: string): string | undefined {
    if (this.objects.get(treeish)?.type === 'tree') return treeish;
    const commit = this.resolveCommit(treeish);
    const obj = commit ? this.objects.get(commit) : undefined;
    return obj?.type === 'commit' ? obj.tree : undefined;
  }

  /** The entry at `path` under a tree (undefined path or '' is the tree itself). */
  lookup(treeSha: string, path: string): TreeEntry | undefined {
    let entry: TreeEntry = { name: '', mode: '040000', type: 'tree', sha: treeSha };
    for (const part of path.split('/').filter((p) => p.length > 0)) {
      const tree = this.objects.get(entry.sha);
      if (tree?.type !== 'tree') return undefined;
      const next = tree.entries.find((e) => e.name === part);
      if (!next) return undefined;
      entry = next;
    }
    return entry;
  }

  /** Every entry below a tree in pre-order (directory before its contents), each with its full path. */
  walk(treeSha: string, prefix = ''): Array<TreeEntry & { path: string }> {
    const tree = this.objects.get(treeSha);
    if (tree?.type !== 'tree') return [];
    const out: Array<TreeEntry & { path: string }> = [];
    for (const e of tree.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      out.push({ ...e, path });
      if (e.type === 'tree') out.push(...this.walk(e.sha, path));
    }
    return out;
  }

  /** `path → blob SHA` for every file under a tree. */
  blobsOf(treeSha: string): Map<string, string> {
    return new Map(this.walk(treeSha).flatMap((e) => (e.type === 'blob' ? [[e.path, e.sha] as const] : [])));
  }

  /** A blob's content, or undefined when the SHA is not a blob. */
  blob(sha: string): Buffer | undefined {
    const obj = this.objects.get(sha);
    return obj?.type === 'blob' ? obj.content : undefined;
  }

  private put(header: string, body: Buffer, obj: GitObject): string {
    const sha = createHash('sha1').update(header).update(body).digest('hex');
    if (!this.objects.has(sha)) this.objects.set(sha, obj);
    return sha;
  }
}
