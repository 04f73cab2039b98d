import type { LockfileEcosystem } from '../../domain/advisory';
import type { ApiCallTally } from './api-calls';

/** A repository of the organisation, as listed. */
export interface RepoRef {
  owner: string;
  name: string;
  /** `owner/name`. */
  fullName: string;
  id: number;
  defaultBranch: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  pushedAt: string | null;
}

/** A package an advisory names; ecosystem in OSV spelling (`npm`, `PyPI`, `crates.io`) or a common alias. */
export interface PackageRef {
  ecosystem: string;
  name: string;
}

/** A lockfile found in a repository's tree. */
export interface LockfileRef {
  path: string;
  /** Git blob SHA: the exact content that was (or would be) read. */
  sha: string;
  size: number;
  ecosystem: LockfileEcosystem;
}

/** A lockfile's content, for the lockfile readers in lockfiles/. */
export interface LockfileText {
  path: string;
  sha: string;
  text: string;
  ecosystem: LockfileEcosystem;
}

/** Why a lockfile's content was not returned. */
export type SkipReason =
  /** The advisory names no package of the lockfile's ecosystem. */
  | 'other-ecosystem'
  /** The repository's dependency-graph SBOM lists none of the advisory's packages. */
  | 'sbom-clean'
  /** The text does not contain any advisory package name, so no parser could find one. */
  | 'no-mention'
  /** Larger than the activity returns through Temporal history (`maxTextBytes`). */
  | 'too-large';

/** A lockfile whose content the scan did not return, and why. */
export interface SkippedLockfile {
  path: string;
  sha: string;
  ecosystem: LockfileEcosystem;
  reason: SkipReason;
}

/** One repository's lockfile scan. */
export interface RepoLockfileScan {
  repo: string;
  ref: string;
  /** Root tree scanned; null for an empty repository. */
  treeSha: string | null;
  /** The recursive tree came back truncated and subtrees were walked one by one. */
  truncatedTree: boolean;
  lockfiles: LockfileText[];
  skipped: SkippedLockfile[];
  /** How the dependency-graph SBOM was used: not needed, listed no advisory package, listed one, or not enabled. */
  sbom: 'unused' | 'clean' | 'mentions' | 'unavailable';
  apiCalls: ApiCallTally;
}

/** One package of a dependency-graph SBOM. */
export interface SbomPackage {
  /** purl type: `npm`, `pypi`, `cargo`, `github`… */
  type: string;
  name: string;
  version: string;
  purl: string;
}

/** A workflow run, with what later phases need to contain and roll back. */
export interface WorkflowRunRef {
  id: number;
  workflowId: number;
  workflowPath: string;
  name: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  headSha: string;
  headBranch: string | null;
  createdAt: string;
  runStartedAt: string | null;
  htmlUrl: string;
  /** The run's jobs and the runners they ran on, when asked for (`withJobs`). */
  jobs?: RunJobRef[];
}

/** A job of a run and the runner it ran on: GitHub reports runners per job. */
export interface RunJobRef {
  id: number;
  name: string;
  labels: string[];
  runnerName: string | null;
  runnerGroupName: string | null;
  /** Ran on a self-hosted runner (label `self-hosted`, or a runner group other than GitHub's). */
  selfHosted: boolean;
}

/** A self-hosted runner. GitHub does not say when it registered; the workflow asks people when that matters. */
export interface RunnerRef {
  id: number;
  name: string;
  os: string;
  status: string;
  busy: boolean;
  labels: string[];
  /** `org` for organisation runners, else the repository's `owner/name`. */
  scope: string;
}

/** Secret names a repository's Actions runs can read. Names only: values never leave GitHub. */
export interface RepoSecretNames {
  repo: string;
  repository: string[];
  environments: Array<{ name: string; secrets: string[] }>;
  /** Organisation secrets visible to this repository. */
  organization: string[];
}

/** An organisation secret and who can read it. */
export interface OrgSecretRef {
  name: string;
  visibility: 'all' | 'private' | 'selected';
  updatedAt: string;
  /** For `selected` secrets: the repositories (`owner/name`) that can read it. */
  selectedRepositories?: string[];
}
