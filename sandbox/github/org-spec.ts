import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Timestamps everything defaults to, so a spec without dates still yields a deterministic organisation. */
export const SPEC_EPOCH = '2026-01-01T00:00:00Z';

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 timestamp');
const id = z.number().int().positive();

const secretSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  createdAt: timestamp.default(SPEC_EPOCH),
  updatedAt: timestamp.default(SPEC_EPOCH),
  /** Plaintext value, readable through `sandbox.secretValue` only (never over the API, as on GitHub). */
  value: z.string().optional(),
});

const runnerSchema = z.object({
  id,
  name: z.string(),
  os: z.string().default('Linux'),
  status: z.enum(['online', 'offline']).default('online'),
  busy: z.boolean().default(false),
  labels: z.array(z.string()).default(['self-hosted', 'Linux', 'X64']),
  /** When the runner registered. GitHub's API does not return it; the sandbox keeps it for tests and drills. */
  createdAt: timestamp.default(SPEC_EPOCH),
});

const artifactSchema = z.object({
  id,
  name: z.string(),
  sizeInBytes: z.number().int().nonnegative().default(1024),
  createdAt: timestamp.optional(),
});

const runSchema = z.object({
  id,
  workflowId: id,
  headSha: z.string().optional(),
  headBranch: z.string().optional(),
  event: z.string().default('push'),
  status: z
    .enum(['completed', 'in_progress', 'queued', 'requested', 'waiting', 'pending', 'action_required'])
    .default('completed'),
  conclusion: z
    .enum(['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale'])
    .nullable()
    .optional(),
  createdAt: timestamp,
  runStartedAt: timestamp.optional(),
  updatedAt: timestamp.optional(),
  /** Labels of the runner the run's jobs asked for (`runs-on`). */
  runnerLabels: z.array(z.string()).default(['ubuntu-latest']),
  selfHosted: z.boolean().default(false),
  runnerName: z.string().optional(),
  artifacts: z.array(artifactSchema).default([]),
  hasLogs: z.boolean().default(true),
});

const workflowSchema = z.object({
  id,
  path: z.string(),
  name: z.string().optional(),
  state: z.enum(['active', 'deleted', 'disabled_fork', 'disabled_inactivity', 'disabled_manually']).default('active'),
  createdAt: timestamp.default(SPEC_EPOCH),
});

const cacheSchema = z.object({
  id,
  key: z.string(),
  ref: z.string().default('refs/heads/main'),
  version: z.string().default('0'.repeat(64)),
  sizeInBytes: z.number().int().nonnegative().default(1024),
  createdAt: timestamp.default(SPEC_EPOCH),
  lastAccessedAt: timestamp.optional(),
});

const deploymentSchema = z.object({
  id,
  sha: z.string(),
  ref: z.string().default('main'),
  environment: z.string().default('production'),
  task: z.string().default('deploy'),
  description: z.string().nullable().default(null),
  createdAt: timestamp.default(SPEC_EPOCH),
  /** The workflow run that created it, so rollback can find deployments built by exposed runs. */
  runId: id.optional(),
  statuses: z
    .array(
      z.object({
        id,
        state: z.enum(['error', 'failure', 'inactive', 'pending', 'success', 'queued', 'in_progress']),
        description: z.string().default(''),
        createdAt: timestamp.default(SPEC_EPOCH),
      }),
    )
    .default([]),
});

/** A file attached to a release: what users download, and how many times they did. */
const releaseAssetSchema = z.object({
  id,
  name: z.string(),
  contentType: z.string().default('application/octet-stream'),
  size: z.number().int().nonnegative().default(0),
  downloadCount: z.number().int().nonnegative().default(0),
  /** `sha256:<hex>`, as GitHub reports it for assets uploaded since mid-2025; null for older ones. */
  digest: z.string().nullable().default(null),
  createdAt: timestamp.default(SPEC_EPOCH),
});

const releaseSchema = z.object({
  id,
  tagName: z.string(),
  name: z.string().nullable().optional(),
  targetCommitish: z.string().default('main'),
  draft: z.boolean().default(false),
  prerelease: z.boolean().default(false),
  createdAt: timestamp.default(SPEC_EPOCH),
  publishedAt: timestamp.optional(),
  body: z.string().nullable().default(null),
  assets: z.array(releaseAssetSchema).default([]),
});

const deployKeySchema = z.object({
  id,
  title: z.string(),
  key: z.string(),
  readOnly: z.boolean().default(true),
  createdAt: timestamp.default(SPEC_EPOCH),
});

const packageSchema = z.object({
  /** purl type: `npm`, `pypi`, `cargo`. */
  ecosystem: z.string(),
  name: z.string(),
  version: z.string(),
});

const repoSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  id: id.optional(),
  description: z.string().nullable().default(null),
  defaultBranch: z.string().default('main'),
  visibility: z.enum(['public', 'private', 'internal']).default('private'),
  archived: z.boolean().default(false),
  createdAt: timestamp.default(SPEC_EPOCH),
  /** path → content of the default branch's tip commit. */
  files: z.record(z.string(), z.string()).default({}),
  /** Dependency graph (SBOM export) enabled, and the packages it lists. Disabled repos answer 404. */
  dependencyGraph: z.object({ packages: z.array(packageSchema).default([]) }).optional(),
  workflows: z.array(workflowSchema).default([]),
  runs: z.array(runSchema).default([]),
  runners: z.array(runnerSchema).default([]),
  secrets: z.array(secretSchema).default([]),
  environments: z.array(z.object({ name: z.string(), secrets: z.array(secretSchema).default([]) })).default([]),
  caches: z.array(cacheSchema).default([]),
  deployments: z.array(deploymentSchema).default([]),
  releases: z.array(releaseSchema).default([]),
  deployKeys: z.array(deployKeySchema).default([]),
});

const orgSecretSchema = secretSchema.extend({
  visibility: z.enum(['all', 'private', 'selected']),
  /** Repository names that can read a `selected` secret. */
  selectedRepositories: z.array(z.string()).default([]),
});

const patSchema = z.object({
  id,
  tokenId: id,
  tokenName: z.string(),
  ownerLogin: z.string(),
  repositorySelection: z.enum(['none', 'all', 'subset']).default('all'),
  repositories: z.array(z.string()).default([]),
  permissions: z
    .object({
      organization: z.record(z.string(), z.string()).default({}),
      repository: z.record(z.string(), z.string()).default({}),
    })
    .default({ organization: {}, repository: {} }),
  accessGrantedAt: timestamp.default(SPEC_EPOCH),
  tokenExpiresAt: timestamp.nullable().default(null),
  tokenLastUsedAt: timestamp.nullable().default(null),
});

/** A version of a GitHub Packages package: when it was published, and when it was deleted (restorable for 30 days). */
const packageVersionSchema = z.object({
  id,
  name: z.string(),
  createdAt: timestamp.default(SPEC_EPOCH),
  deletedAt: timestamp.nullable().default(null),
  /** Container tags (`container` packages only). */
  tags: z.array(z.string()).default([]),
});

/** A package the organisation publishes to GitHub Packages, linked to the repository that publishes it. */
const githubPackageSchema = z.object({
  id,
  name: z.string(),
  packageType: z.enum(['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container']),
  visibility: z.enum(['public', 'private', 'internal']).default('private'),
  /** The publishing repository's name, in this organisation. */
  repository: z.string().nullable().default(null),
  createdAt: timestamp.default(SPEC_EPOCH),
  versions: z.array(packageVersionSchema).default([]),
});

/** Schema of a declarative sandbox organisation; `OrgSpec` is what callers write, `NormalizedOrgSpec` has defaults. */
export const orgSpecSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9-]+$/),
  id: id.default(1000),
  repos: z.array(repoSchema).default([]),
  /** Organisation-level self-hosted runners. */
  runners: z.array(runnerSchema).default([]),
  secrets: z.array(orgSecretSchema).default([]),
  personalAccessTokens: z.array(patSchema).default([]),
  /** GitHub Packages published by the organisation. */
  githubPackages: z.array(githubPackageSchema).default([]),
  /**
   * Entries above which a recursive tree answer is cut and marked `truncated` (GitHub: 100,000 entries or 7 MB).
   * https://docs.github.com/rest/git/trees#get-a-tree
   */
  treeTruncationLimit: z.number().int().positive().default(100_000),
});

/** A declarative organisation as written by a test, drill or YAML file. */
export type OrgSpec = z.input<typeof orgSpecSchema>;
/** An organisation with every default filled in. */
export type NormalizedOrgSpec = z.output<typeof orgSpecSchema>;
/** A repository of a normalized organisation. */
export type RepoSpec = z.output<typeof repoSchema>;
/** A workflow run of a normalized organisation. */
export type RunSpec = z.output<typeof runSchema>;

/** Validates a spec and fills its defaults; throws with every problem listed. */
export function normalizeOrgSpec(spec: OrgSpec): NormalizedOrgSpec {
  const result = orgSpecSchema.safeParse(spec);
  if (!result.success) throw new Error(`invalid sandbox organisation:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Parses a YAML organisation description (same shape as `OrgSpec`). */
export function parseOrgSpecYaml(text: string): NormalizedOrgSpec {
  return normalizeOrgSpec(parseYaml(text) as OrgSpec);
}
