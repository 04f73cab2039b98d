import { GitStore } from './git-store';
import type { NormalizedOrgSpec, RepoSpec, RunSpec } from './org-spec';

/** A stored Actions secret. The value is plaintext inside the sandbox only: GitHub never returns it. */
export interface SecretState {
  name: string;
  createdAt: string;
  updatedAt: string;
  value?: string | undefined;
}

/** An organisation secret and which repositories may read it. */
export interface OrgSecretState extends SecretState {
  visibility: 'all' | 'private' | 'selected';
  selectedRepositories: Set<string>;
}

/** A workflow run, mutable by cancel / log deletion. */
export interface RunState extends Omit<RunSpec, 'artifacts' | 'headSha' | 'headBranch'> {
  headSha: string;
  headBranch: string;
  runNumber: number;
  workflowPath: string;
  workflowName: string;
  logsDeleted: boolean;
}

/** A run artifact. */
export interface ArtifactState {
  id: number;
  runId: number;
  name: string;
  sizeInBytes: number;
  createdAt: string;
}

/** A pull request opened through the API. */
export interface PullState {
  id: number;
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

type Spec<K extends keyof RepoSpec> = RepoSpec[K] extends Array<infer T> ? T : never;

/** A deployment and its statuses (mutable: rollbacks add statuses). */
export type DeploymentState = Spec<'deployments'>;
/** A workflow file and its enabled/disabled state. */
export type WorkflowState = Spec<'workflows'> & { updatedAt: string };
/** An Actions cache entry. */
export type CacheState = Spec<'caches'>;
/** A self-hosted runner (repository or organisation level). */
export type RunnerState = Spec<'runners'>;
/** A release. */
export type ReleaseState = Spec<'releases'>;
/** A deploy key. */
export type DeployKeyState = Spec<'deployKeys'>;

/** One repository's live state. */
export interface RepoState {
  id: number;
  name: string;
  description: string | null;
  defaultBranch: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  createdAt: string;
  pushedAt: string;
  git: GitStore;
  dependencyGraph: { packages: Array<{ ecosystem: string; name: string; version: string }> } | undefined;
  workflows: Map<number, WorkflowState>;
  runs: Map<number, RunState>;
  artifacts: Map<number, ArtifactState>;
  caches: Map<number, CacheState>;
  runners: Map<number, RunnerState>;
  secrets: Map<string, SecretState>;
  environments: Map<string, { id: number; name: string; createdAt: string; secrets: Map<string, SecretState> }>;
  deployments: Map<number, DeploymentState>;
  releases: Map<number, ReleaseState>;
  deployKeys: Map<number, DeployKeyState>;
  pulls: Map<number, PullState>;
}

type PatState = NormalizedOrgSpec['personalAccessTokens'][number];
/** A GitHub Packages package of the organisation, its versions included (deleted ones keep `deletedAt`). */
export type PackageState = NormalizedOrgSpec['githubPackages'][number];

/**
 * The sandbox organisation's live, mutable state. Tests read it directly to check what an activity changed;
 * the HTTP handlers are its only writers.
 */
export class SandboxState {
  readonly org: { id: number; login: string; treeTruncationLimit: number };
  readonly repos = new Map<string, RepoState>();
  readonly orgRunners = new Map<number, RunnerState>();
  readonly orgSecrets = new Map<string, OrgSecretState>();
  readonly personalAccessTokens = new Map<number, PatState & { revoked: boolean }>();
  /** Packages by `type/name`. */
  readonly packages = new Map<string, PackageState>();
  /** Credentials submitted to `POST /credentials/revoke`. */
  readonly revokedCredentials: string[] = [];
  private nextGeneratedId = 9_000_000;

  constructor(spec: NormalizedOrgSpec) {
    this.org = { id: spec.id, login: spec.name, treeTruncationLimit: spec.treeTruncationLimit };
    spec.repos.forEach((r, i) => this.addRepo(r, r.id ?? spec.id * 1000 + i + 1));
    for (const r of spec.runners) this.orgRunners.set(r.id, r);
    for (const s of spec.secrets) {
      this.orgSecrets.set(s.name, { ...s, selectedRepositories: new Set(s.selectedRepositories.map(lower)) });
    }
    for (const p of spec.personalAccessTokens) this.personalAccessTokens.set(p.id, { ...p, revoked: false });
    for (const p of spec.githubPackages)
      this.packages.set(`${p.packageType}/${p.name}`, { ...p, versions: p.versions.map((v) => ({ ...v })) });
  }

  /** The repository called `name` in this organisation (case-insensitive, as on GitHub). */
  repo(owner: string, name: string): RepoState | undefined {
    return lower(owner) === lower(this.org.login) ? this.repos.get(lower(name)) : undefined;
  }

  /** A fresh id for objects created through the API. */
  newId(): number {
    return this.nextGeneratedId++;
  }

  /** Repository names that can read an organisation secret (visibility `private` covers internal repos too). */
  reposReadingOrgSecret(secret: OrgSecretState): RepoState[] {
    return [...this.repos.values()].filter((r) => {
      if (secret.visibility === 'all') return true;
      if (secret.visibility === 'private') return r.visibility !== 'public';
      return secret.selectedRepositories.has(lower(r.name));
    });
  }

  private addRepo(spec: RepoSpec, id: number): void {
    const git = new GitStore();
    const blobs = new Map(Object.entries(spec.files).map(([path, text]) => [path, git.writeBlob(text)] as const));
    // A repository without files has no commits and no refs, as on GitHub (its Git APIs answer 409).
    let head = '0'.repeat(40);
    if (blobs.size > 0) {
      const tree = git.writeTreeFromBlobs(blobs);
      head = git.writeCommit({ tree, parents: [], message: 'Initial commit', date: spec.createdAt });
      git.refs.set(`heads/${spec.defaultBranch}`, head);
    }
    // Full-length SHAs the spec names become commits of the head tree, so deployments and rollbacks can target them.
    if (blobs.size > 0) {
      const tree = git.resolveTree(head) ?? '';
      for (const sha of [...spec.runs.map((r) => r.headSha), ...spec.deployments.map((d) => d.sha)])
        if (sha && /^[0-9a-f]{40}$/.test(sha)) git.adoptCommit(sha, tree, spec.createdAt);
    }
    const workflows = new Map(spec.workflows.map((w) => [w.id, { ...w, updatedAt: w.createdAt }] as const));
    const runNumbers = new Map<number, number>();
    const runs = new Map<number, RunState>();
    const artifacts = new Map<number, ArtifactState>();
    for (const run of [...spec.runs].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))) {
      const wf = workflows.get(run.workflowId);
      if (!wf) throw new Error(`repo ${spec.name}: run ${run.id} names unknown workflow ${run.workflowId}`);
      const runNumber = (runNumbers.get(wf.id) ?? 0) + 1;
      runNumbers.set(wf.id, runNumber);
      const { artifacts: runArtifacts, ...rest } = run;
      runs.set(run.id, {
        ...rest,
        headSha: run.headSha ?? head,
        headBranch: run.headBranch ?? spec.defaultBranch,
        runNumber,
        workflowPath: wf.path,
        workflowName: wf.name ?? wf.path.replace(/^.*\//, ''),
        logsDeleted: !run.hasLogs,
      });
      for (const a of runArtifacts) {
        const createdAt = a.createdAt ?? run.updatedAt ?? run.createdAt;
        artifacts.set(a.id, { id: a.id, runId: run.id, name: a.name, sizeInBytes: a.sizeInBytes, createdAt });
      }
    }
    const secretMap = (list: RepoSpec['secrets']): Map<string, SecretState> =>
      new Map(list.map((s) => [s.name, { ...s }]));
    this.repos.set(lower(spec.name), {
      id,
      name: spec.name,
      description: spec.description,
      defaultBranch: spec.defaultBranch,
      visibility: spec.visibility,
      archived: spec.archived,
      createdAt: spec.createdAt,
      pushedAt: spec.createdAt,
      git,
      dependencyGraph: spec.dependencyGraph,
      workflows,
      runs,
      artifacts,
      caches: new Map(spec.caches.map((c) => [c.id, c])),
      runners: new Map(spec.runners.map((r) => [r.id, r])),
      secrets: secretMap(spec.secrets),
      environments: new Map(
        spec.environments.map((e, i) => [
          e.name,
          { id: id * 100 + i + 1, name: e.name, createdAt: spec.createdAt, secrets: secretMap(e.secrets) },
        ]),
      ),
      deployments: new Map(spec.deployments.map((d) => [d.id, d])),
      releases: new Map(spec.releases.map((r) => [r.id, r])),
      deployKeys: new Map(spec.deployKeys.map((k) => [k.id, k])),
      pulls: new Map(),
    });
  }
}

function lower(s: string): string {
  return s.toLowerCase();
}
