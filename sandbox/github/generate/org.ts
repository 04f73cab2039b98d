import { createHash } from 'node:crypto';
import type { OrgSpec } from '../org-spec';
import {
  writeCargoLock,
  writePackageLock,
  writePnpmLock,
  writePoetryLock,
  writeRequirementsTxt,
  writeYarnLock,
  type GeneratedFormat,
  type LockPackage,
} from './lockfile-writers';

/** An npm package version to seed as exposed; `dependencies` name other exposed packages it pulls in. */
export interface ExposedPackage {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

/**
 * The Mastra compromise of 2026-06-17: `@mastra/core` 1.42.1 (OSV MAL-2026-6011) pulled in the dropper
 * `easy-day-js` 1.11.22 (MAL-2026-5979).
 */
export const MASTRA_EXPOSURE: ExposedPackage[] = [
  { name: '@mastra/core', version: '1.42.1', dependencies: { 'easy-day-js': '^1.11.22', zod: '^3.23.8' } },
  { name: 'easy-day-js', version: '1.11.22' },
];

/** Options of `generateOrg`. */
export interface GenerateOrgOptions {
  /** @default 'acme' */
  name?: string;
  /** Number of ordinary repositories (the giant monorepo, when enabled, comes on top). */
  repos: number;
  /** @default MASTRA_EXPOSURE */
  exposure?: ExposedPackage[];
  /** How many repositories lock the exposed versions. @default max(3, 5% of repos) */
  exposedRepos?: number;
  /** The exposure window runs are seeded around. @default 2026-06-17T04:00Z .. 2026-06-18T04:00Z */
  window?: { since: string; until: string };
  /** Runs per repository outside the guaranteed in-window ones. @default 4 */
  runsPerRepo?: number;
  /** Adds `monorepo` with this many files, over the tree truncation limit. @default 0 (none) */
  giantRepoFiles?: number;
  /** @default 1000 when a giant repo is requested, else GitHub's 100,000 */
  treeTruncationLimit?: number;
  /** @default 1 */
  seed?: number;
  /**
   * Exposures in other ecosystems: each locks its packages in the first repository of its format (a pip
   * requirements file, a poetry.lock or a Cargo.lock) that nothing else exposes, on top of the npm exposures.
   */
  otherExposures?: Array<{ format: 'requirements-txt' | 'poetry-lock' | 'cargo-lock'; packages: ExposedPackage[] }>;
}

/** One lockfile the generator wrote. */
export interface SeededLockfile {
  repo: string;
  path: string;
  format: GeneratedFormat;
}

/** What the generator seeded, for tests to compare against exactly. */
export interface SeededTruth {
  org: string;
  repos: string[];
  window: { since: string; until: string };
  /** Every lockfile in every repository. */
  lockfiles: SeededLockfile[];
  /** Lockfiles that lock an exposed version, and which ones. */
  exposed: Array<SeededLockfile & { packages: Array<{ name: string; version: string }> }>;
  exposedRepos: string[];
  /** Lockfiles with an exposed package name at a different (good) version. */
  nearMisses: SeededLockfile[];
  /** Run ids per repository created inside the window (inclusive bounds). */
  runsInWindow: Record<string, number[]>;
  /** Of those, the runs whose job ran on a self-hosted runner. */
  selfHostedRunsInWindow: Record<string, number[]>;
  selfHostedRunners: {
    org: Array<{ id: number; name: string; createdAt: string }>;
    repos: Record<string, Array<{ id: number; name: string; createdAt: string }>>;
  };
  /** Secret names each repository's runs can read. */
  secretNames: Record<string, { repo: string[]; environments: Record<string, string[]>; org: string[] }>;
  /** Repositories with the dependency graph (SBOM export) enabled. */
  sbomRepos: string[];
  /** Repositories whose recursive tree comes back truncated. */
  truncatedRepos: string[];
  /**
   * Per exposed repository: the SHA its in-window runs built, deployed to `production` from the last of them,
   * and the SHA deployed there the day before the window (what a rollback returns to).
   */
  deployments: Record<string, { environment: string; goodSha: string; exposedSha: string }>;
  /** Per exposed repository, the ids of caches its in-window runs saved (created while a run ran, on its ref). */
  exposedCaches: Record<string, number[]>;
  /** Per exposed repository, the ids of releases published from the SHA its in-window runs built. */
  exposedReleases: Record<string, number[]>;
  /** Per exposed repository, the GitHub Packages versions (`package/version id`) its exposed runs published. */
  exposedPackageVersions: Record<string, string[]>;
}

type GitHubPackageDef = NonNullable<OrgSpec['githubPackages']>[number];

type RepoDef = NonNullable<OrgSpec['repos']>[number];

const NPM_BENIGN: LockPackage[] = [
  { name: 'lodash', version: '4.17.21' },
  { name: 'express', version: '4.19.2' },
  { name: 'react', version: '18.3.1', dependencies: { 'loose-envify': '^1.1.0' } },
  { name: 'loose-envify', version: '1.4.0', dependencies: { 'js-tokens': '^3.0.0 || ^4.0.0' } },
  { name: 'js-tokens', version: '4.0.0' },
  { name: 'zod', version: '3.23.8' },
  { name: 'chalk', version: '4.1.2' },
];
/** dayjs 1.11.22 is the real release easy-day-js impersonates: same version, different package. */
const DAYJS_DECOY: LockPackage = { name: 'dayjs', version: '1.11.22' };
const PYPI: LockPackage[] = [
  { name: 'requests', version: '2.32.3', dependencies: { urllib3: '>=1.21.1,<3', idna: '>=2.5,<4' } },
  { name: 'urllib3', version: '2.2.2' },
  { name: 'idna', version: '3.7' },
  { name: 'flask', version: '3.0.3' },
  { name: 'pydantic', version: '2.8.2' },
];
const CARGO: LockPackage[] = [
  { name: 'anyhow', version: '1.0.89' },
  { name: 'serde', version: '1.0.210' },
  { name: 'tokio', version: '1.40.0' },
  { name: 'regex', version: '1.10.6' },
];
const FORMATS: GeneratedFormat[] = [
  'package-lock',
  'pnpm-lock',
  'yarn-lock',
  'requirements-txt',
  'poetry-lock',
  'cargo-lock',
];
const NPM_FORMATS = new Set<GeneratedFormat>(['package-lock', 'pnpm-lock', 'yarn-lock']);
const FILE_NAME: Record<GeneratedFormat, string> = {
  'package-lock': 'package-lock.json',
  'pnpm-lock': 'pnpm-lock.yaml',
  'yarn-lock': 'yarn.lock',
  'requirements-txt': 'requirements.txt',
  'poetry-lock': 'poetry.lock',
  'cargo-lock': 'Cargo.lock',
};
const HOUR = 3_600_000;

/**
 * Builds a deterministic organisation of `repos` repositories in mixed ecosystems (npm package-lock / pnpm /
 * yarn, pip requirements / poetry, Cargo), `exposedRepos` of them locking the exposed versions, plus near misses
 * (same names at good versions, the dayjs decoy), Actions runs around the window, self-hosted runners, secrets
 * and SBOMs. Returns the spec and the truth it seeded.
 */
export function generateOrg(options: GenerateOrgOptions): { spec: OrgSpec; truth: SeededTruth } {
  const org = options.name ?? 'acme';
  const exposure = options.exposure ?? MASTRA_EXPOSURE;
  const window = options.window ?? { since: '2026-06-17T04:00:00Z', until: '2026-06-18T04:00:00Z' };
  const rand = mulberry32(options.seed ?? 1);
  const n = options.repos;
  const giant = options.giantRepoFiles ?? 0;
  const exposedCount = Math.min(n, options.exposedRepos ?? Math.max(3, Math.round(n * 0.05)));
  const names = Array.from({ length: n }, (_, i) => `svc-${String(i + 1).padStart(4, '0')}`);

  // Exposed repositories: npm ones, spread evenly, so every npm format is covered.
  const npmIdx = names.map((_, i) => i).filter((i) => NPM_FORMATS.has(formatOf(i)));
  const exposedIdx = new Set(
    Array.from(
      { length: Math.min(exposedCount, npmIdx.length) },
      (_, k) => npmIdx[Math.floor((k * npmIdx.length) / exposedCount)] ?? 0,
    ),
  );
  const nearMissIdx = new Set(npmIdx.filter((i) => !exposedIdx.has(i) && i % 7 === 3));
  // Repositories exposed through another ecosystem's lockfile, and what they lock.
  const otherExposed = new Map<number, ExposedPackage[]>();
  for (const o of options.otherExposures ?? []) {
    const i = names.findIndex((_, k) => formatOf(k) === o.format && k % 8 !== 5 && !otherExposed.has(k));
    if (i >= 0) otherExposed.set(i, o.packages);
  }

  const truth: SeededTruth = {
    org,
    repos: [],
    window,
    lockfiles: [],
    exposed: [],
    exposedRepos: [],
    nearMisses: [],
    runsInWindow: {},
    selfHostedRunsInWindow: {},
    selfHostedRunners: { org: [], repos: {} },
    secretNames: {},
    sbomRepos: [],
    truncatedRepos: [],
    deployments: {},
    exposedCaches: {},
    exposedReleases: {},
    exposedPackageVersions: {},
  };
  const githubPackages: GitHubPackageDef[] = [];
  const orgSecrets = orgSecretDefs(names, [...exposedIdx]);
  const repos: RepoDef[] = names.map((name, i) => {
    const files: Record<string, string> = { 'README.md': `# ${name}\n` };
    const lockPackages: Array<{ ecosystem: string; name: string; version: string }> = [];
    const addLockfile = (
      dir: string,
      format: GeneratedFormat,
      mode: 'exposed' | 'near-miss' | 'plain',
    ): Record<string, string> => {
      const path = `${dir}${FILE_NAME[format]}`;
      const exposed = NPM_FORMATS.has(format) ? exposure : (otherExposed.get(i) ?? []);
      const { text, packages, direct } = lockfileText(name, format, mode, exposed, i);
      files[path] = text;
      lockPackages.push(...packages.map((p) => ({ ecosystem: ecosystemOf(format), name: p.name, version: p.version })));
      truth.lockfiles.push({ repo: name, path, format });
      if (mode === 'exposed')
        truth.exposed.push({
          repo: name,
          path,
          format,
          packages: exposed.map(({ name: pn, version }) => ({ name: pn, version })),
        });
      if (mode === 'near-miss') truth.nearMisses.push({ repo: name, path, format });
      return direct;
    };
    const format = formatOf(i);
    const isExposed = exposedIdx.has(i) || otherExposed.has(i);
    const mode = isExposed ? 'exposed' : nearMissIdx.has(i) ? 'near-miss' : 'plain';
    // Every 8th repository is a small monorepo: its lockfile sits in a package folder, next to a Python service.
    const dir = i % 8 === 5 ? 'packages/web/' : '';
    const direct = addLockfile(dir, format, mode);
    if (i % 8 === 5) addLockfile('services/worker/', i % 16 === 5 ? 'requirements-txt' : 'poetry-lock', 'plain');
    files[manifestOf(format, dir)] = manifestText(name, format, direct);
    files['src/index.ts'] = `export const service = '${name}';\n`;
    files['.github/workflows/ci.yml'] =
      `name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n`;
    const hasDeploy = i % 3 === 0;
    if (hasDeploy)
      files['.github/workflows/deploy.yml'] =
        `name: deploy\non: [push]\njobs:\n  deploy:\n    runs-on: [self-hosted, linux]\n`;
    if (isExposed) truth.exposedRepos.push(name);
    truth.repos.push(name);

    const repoDef = repoExtras(
      name,
      i,
      window,
      rand,
      options.runsPerRepo ?? 4,
      hasDeploy,
      isExposed,
      truth,
      githubPackages,
    );
    const sbom = i % 2 === 0;
    if (sbom) truth.sbomRepos.push(name);
    truth.secretNames[name] = {
      repo: (repoDef.secrets ?? []).map((s) => s.name).sort(),
      environments: Object.fromEntries(
        (repoDef.environments ?? []).map((e) => [e.name, (e.secrets ?? []).map((s) => s.name).sort()]),
      ),
      org: orgSecrets
        .filter(
          (s) =>
            s.visibility === 'all' ||
            (s.visibility === 'private' ? visibilityOf(i) !== 'public' : s.selectedRepositories?.includes(name)),
        )
        .map((s) => s.name)
        .sort(),
    };
    return {
      ...repoDef,
      name,
      visibility: visibilityOf(i),
      createdAt: new Date(Date.parse('2025-01-01T00:00:00Z') + i * HOUR).toISOString(),
      files,
      ...(sbom ? { dependencyGraph: { packages: dedupe(lockPackages) } } : {}),
    };
  });

  if (giant > 0) repos.push(giantRepo(giant, exposure, truth));
  const runnerCreated = [
    { id: 1, name: 'org-runner-1', createdAt: '2025-03-01T00:00:00Z' },
    // Registered inside the window: the kind of runner an attacker adds.
    { id: 2, name: 'org-runner-2', createdAt: new Date(Date.parse(window.since) + 2 * HOUR).toISOString() },
  ];
  truth.selfHostedRunners.org = runnerCreated;
  return {
    spec: {
      name: org,
      repos,
      runners: runnerCreated.map((r) => ({ ...r, labels: ['self-hosted', 'Linux', 'X64', 'org'] })),
      secrets: orgSecrets,
      githubPackages,
      treeTruncationLimit: options.treeTruncationLimit ?? (giant > 0 ? 1000 : 100_000),
    },
    truth,
  };
}

/**
 * Every npm package version the generator writes into some lockfile (benign packages, the dayjs decoy, the exposed
 * versions and their near-miss neighbours): what the sandbox npm registry must serve for a pin to resolve.
 */
export function seededNpmPackages(exposure: ExposedPackage[] = MASTRA_EXPOSURE): LockPackage[] {
  const nearMiss = exposure.slice(0, 1).map((p) => ({ name: p.name, version: goodVersion(p.version) }));
  const all = new Map<string, LockPackage>();
  for (const p of [...NPM_BENIGN, DAYJS_DECOY, ...exposure, ...nearMiss]) all.set(`${p.name}@${p.version}`, p);
  return [...all.values()];
}

function formatOf(i: number): GeneratedFormat {
  return FORMATS[i % FORMATS.length] ?? 'package-lock';
}

function visibilityOf(i: number): 'public' | 'private' | 'internal' {
  return i % 7 === 6 ? 'public' : i % 11 === 10 ? 'internal' : 'private';
}

function ecosystemOf(format: GeneratedFormat): string {
  return NPM_FORMATS.has(format) ? 'npm' : format === 'cargo-lock' ? 'cargo' : 'pypi';
}

function manifestOf(format: GeneratedFormat, dir: string): string {
  return `${dir}${NPM_FORMATS.has(format) ? 'package.json' : format === 'cargo-lock' ? 'Cargo.toml' : 'pyproject.toml'}`;
}

/** The project manifest next to a lockfile; an npm one declares the direct dependencies its lockfile's root has. */
function manifestText(name: string, format: GeneratedFormat, direct: Record<string, string>): string {
  if (NPM_FORMATS.has(format))
    return `${JSON.stringify({ name, version: '1.0.0', private: true, dependencies: direct }, null, 2)}\n`;
  if (format === 'cargo-lock') {
    // As `cargo add` writes them: the locked version as a caret requirement.
    const deps = Object.entries(direct).map(([n, v]) => `${n} = "${v}"\n`);
    return `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${deps.length > 0 ? `\n[dependencies]\n${deps.join('')}` : ''}`;
  }
  return `[project]\nname = "${name}"\nversion = "0.1.0"\n`;
}

/** The text of one lockfile and the packages it locks. */
function lockfileText(
  project: string,
  format: GeneratedFormat,
  mode: 'exposed' | 'near-miss' | 'plain',
  exposure: ExposedPackage[],
  i: number,
): { text: string; packages: LockPackage[]; direct: Record<string, string> } {
  if (format === 'requirements-txt') {
    const pkgs = [...PYPI.slice(0, 3 + (i % 3)), ...(mode === 'exposed' ? exposure : [])];
    return { text: writeRequirementsTxt(pkgs), packages: pkgs, direct: {} };
  }
  if (format === 'poetry-lock') {
    const pkgs = [...PYPI.slice(0, 2 + (i % 4)), ...(mode === 'exposed' ? exposure : [])];
    return { text: writePoetryLock(pkgs), packages: pkgs, direct: {} };
  }
  if (format === 'cargo-lock') {
    const pkgs = [...CARGO.slice(0, 2 + (i % 3)), ...(mode === 'exposed' ? exposure : [])];
    const pulledIn = new Set(pkgs.flatMap((p) => Object.keys(p.dependencies ?? {})));
    const direct = Object.fromEntries(pkgs.filter((p) => !pulledIn.has(p.name)).map((p) => [p.name, p.version]));
    return { text: writeCargoLock(project, pkgs), packages: pkgs, direct };
  }
  const benign = withDependencies(NPM_BENIGN.slice(0, 3 + (i % 5)), NPM_BENIGN);
  const extra: LockPackage[] =
    mode === 'exposed'
      ? exposure
      : mode === 'near-miss'
        ? exposure.slice(0, 1).map((p) => ({ name: p.name, version: goodVersion(p.version) }))
        : i % 5 === 1
          ? [DAYJS_DECOY]
          : [];
  const pkgs = dedupeLock([...benign, ...extra, ...(extra.some((p) => p.dependencies?.zod) ? [NPM_BENIGN[5]!] : [])]);
  const direct: Record<string, string> = {};
  const transitive = new Set(pkgs.flatMap((p) => Object.keys(p.dependencies ?? {})));
  for (const p of pkgs) if (!transitive.has(p.name)) direct[p.name] = `^${p.version}`;
  const text =
    format === 'package-lock'
      ? writePackageLock(project, direct, pkgs)
      : format === 'pnpm-lock'
        ? writePnpmLock(direct, pkgs)
        : writeYarnLock(direct, pkgs);
  return { text, packages: pkgs, direct };
}

/** A good version next to a bad one: the patch before it (or after, for x.y.0). */
function goodVersion(version: string): string {
  const parts = version.split('.').map(Number);
  const last = parts.length - 1;
  parts[last] = (parts[last] ?? 0) > 0 ? (parts[last] ?? 0) - 1 : (parts[last] ?? 0) + 1;
  return parts.join('.');
}

function orgSecretDefs(names: string[], exposedIdx: number[]) {
  const selected = names.filter((_, i) => i % 9 === 4 || i === exposedIdx[0]);
  return [
    { name: 'ORG_NPM_TOKEN', visibility: 'all' as const },
    { name: 'SLACK_WEBHOOK_URL', visibility: 'private' as const },
    { name: 'RELEASE_PAT', visibility: 'selected' as const, selectedRepositories: selected },
  ];
}

function repoExtras(
  name: string,
  i: number,
  window: { since: string; until: string },
  rand: () => number,
  runsPerRepo: number,
  hasDeploy: boolean,
  exposed: boolean,
  truth: SeededTruth,
  githubPackages: GitHubPackageDef[],
): Omit<RepoDef, 'name'> {
  const since = Date.parse(window.since);
  const until = Date.parse(window.until);
  const ci = i * 10 + 1;
  const deploy = i * 10 + 2;
  const workflows = [{ id: ci, path: '.github/workflows/ci.yml', name: 'ci' }];
  if (hasDeploy) workflows.push({ id: deploy, path: '.github/workflows/deploy.yml', name: 'deploy' });
  const times: number[] = [];
  // Spread runs over a week before the window to two days after it; exposed repositories also get one run
  // exactly at the window's start (bounds are inclusive) and one inside it.
  for (let k = 0; k < runsPerRepo; k++) times.push(since - 7 * 24 * HOUR + Math.floor(rand() * 9 * 24) * HOUR);
  if (exposed) times.push(since, since + 3 * HOUR);
  // Exposed repositories' in-window runs built a SHA of their own (full length: the sandbox registers it as a
  // commit, so a rollback can deploy it); the day before the window a good SHA was deployed.
  const exposedSha = `e${String(i).padStart(39, '0')}`;
  const goodSha = `d${String(i).padStart(39, '0')}`;
  const runs = times.map((t, k) => {
    const onDeploy = hasDeploy && k % 2 === 1;
    return {
      id: i * 1000 + k + 1,
      workflowId: onDeploy ? deploy : ci,
      createdAt: new Date(t).toISOString(),
      status: 'completed' as const,
      conclusion: 'success' as const,
      runnerLabels: onDeploy ? ['self-hosted', 'linux'] : ['ubuntu-latest'],
      selfHosted: onDeploy,
      artifacts: [{ id: i * 1000 + k + 1, name: 'dist' }],
      ...(exposed && k >= runsPerRepo ? { headSha: exposedSha } : {}),
    };
  });
  truth.runsInWindow[name] = runs
    .filter((r) => Date.parse(r.createdAt) >= since && Date.parse(r.createdAt) <= until)
    .map((r) => r.id)
    .sort((a, b) => a - b);
  truth.selfHostedRunsInWindow[name] = runs
    .filter((r) => r.selfHosted && truth.runsInWindow[name]?.includes(r.id))
    .map((r) => r.id)
    .sort((a, b) => a - b);
  const runners =
    i % 10 === 0
      ? [{ id: 10_000 + i, name: `${name}-runner`, createdAt: new Date(since - 30 * 24 * HOUR).toISOString() }]
      : [];
  if (runners.length > 0) truth.selfHostedRunners.repos[name] = runners;
  const secrets = [
    { name: 'NPM_TOKEN' },
    ...(i % 2 === 0 ? [{ name: 'AWS_ACCESS_KEY_ID' }, { name: 'AWS_SECRET_ACCESS_KEY' }] : []),
  ];
  const environments =
    i % 4 === 0
      ? [
          { name: 'production', secrets: [{ name: 'DEPLOY_TOKEN' }] },
          { name: 'staging', secrets: [] },
        ]
      : [];
  const caches: Array<{ id: number; key: string; createdAt?: string }> = [{ id: i * 10 + 1, key: `npm-${name}-linux` }];
  const deployments: NonNullable<RepoDef['deployments']> = [];
  const releases: NonNullable<RepoDef['releases']> = [];
  const last = exposed ? runs[runs.length - 1] : undefined;
  if (last) {
    // The last in-window run saved a cache and deployed its SHA to production.
    caches.push({ id: i * 10 + 2, key: `npm-${name}-linux-exposed`, createdAt: last.createdAt });
    truth.exposedCaches[name] = [i * 10 + 2];
    const deployed = (id: number, sha: string, createdAt: string) => ({
      id,
      sha,
      environment: 'production',
      createdAt,
      statuses: [{ id: id * 10 + 1, state: 'success' as const, createdAt }],
    });
    deployments.push(deployed(i * 10 + 1, goodSha, new Date(since - 24 * HOUR).toISOString()), {
      ...deployed(i * 10 + 2, exposedSha, last.createdAt),
      runId: last.id,
    });
    truth.deployments[name] = { environment: 'production', goodSha, exposedSha };
    // A release of the good SHA from before the window, and one the last exposed run published of its own build.
    releases.push(
      {
        id: i * 10 + 1,
        tagName: `v1.0.${i}`,
        targetCommitish: goodSha,
        createdAt: new Date(since - 24 * HOUR).toISOString(),
      },
      {
        id: i * 10 + 2,
        tagName: `v1.1.${i}`,
        targetCommitish: exposedSha,
        createdAt: last.createdAt,
        // The build the exposed run attached, and how many times users fetched it before containment.
        assets: [
          {
            id: i * 10 + 2,
            name: `${name}-1.1.${i}.tgz`,
            contentType: 'application/gzip',
            size: 48_213 + i,
            downloadCount: 3 + (i % 17),
            digest: `sha256:${createHash('sha256').update(`${name}@${exposedSha}`).digest('hex')}`,
            createdAt: last.createdAt,
          },
        ],
      },
    );
    truth.exposedReleases[name] = [i * 10 + 2];
    // The repository publishes itself to GitHub Packages: a version from before the window, and one the last
    // exposed run published a few minutes after it started (the worm pattern: a poisoned build shipped onwards).
    githubPackages.push({
      id: i * 10 + 1,
      name,
      packageType: 'npm',
      repository: name,
      createdAt: new Date(since - 30 * 24 * HOUR).toISOString(),
      versions: [
        { id: i * 10 + 1, name: `1.0.${i}`, createdAt: new Date(since - 24 * HOUR).toISOString() },
        {
          id: i * 10 + 2,
          name: `1.1.${i}`,
          createdAt: new Date(Date.parse(last.createdAt) + 4 * 60_000).toISOString(),
        },
      ],
    });
    truth.exposedPackageVersions[name] = [`${name}/${i * 10 + 2}`];
  } else if (i % 5 === 0) {
    // A repository no exposed run touched also published inside the window: that version stays.
    githubPackages.push({
      id: i * 10 + 1,
      name,
      packageType: 'container',
      repository: name,
      createdAt: new Date(since - 30 * 24 * HOUR).toISOString(),
      versions: [
        {
          id: i * 10 + 1,
          name: 'sha256:' + '0'.repeat(63) + '1',
          createdAt: new Date(since - 48 * HOUR).toISOString(),
          tags: ['v1'],
        },
        {
          id: i * 10 + 2,
          name: 'sha256:' + '0'.repeat(63) + '2',
          createdAt: new Date(since + 3 * HOUR).toISOString(),
          tags: ['v2'],
        },
      ],
    });
  }
  return {
    workflows,
    runs,
    runners,
    secrets,
    environments,
    caches,
    deployments,
    releases,
  };
}

/** `monorepo`: thousands of files so its recursive tree is truncated; its exposed lockfile sorts after the cut. */
function giantRepo(files: number, exposure: ExposedPackage[], truth: SeededTruth): RepoDef {
  const name = 'monorepo';
  const out: Record<string, string> = { 'README.md': '# monorepo\n' };
  // A hundred files per package: wide folders, as real monorepos have, so the truncated walk stays cheap.
  for (let k = 0; k < files; k++) {
    const pkg = String(Math.floor(k / 100)).padStart(3, '0');
    out[`packages/pkg-${pkg}/src/file-${String(k % 100).padStart(3, '0')}.ts`] = `export const n = ${k};\n`;
  }
  const plain = `packages/pkg-000/package-lock.json`;
  const exposedPath = `services/zz-payments/pnpm-lock.yaml`;
  const benign = NPM_BENIGN.slice(0, 3);
  out[plain] = writePackageLock('pkg-000', { lodash: '^4.17.21' }, benign);
  const pkgs = dedupeLock([...benign, ...exposure, NPM_BENIGN[5]!]);
  const transitive = new Set(pkgs.flatMap((p) => Object.keys(p.dependencies ?? {})));
  out[exposedPath] = writePnpmLock(
    Object.fromEntries(pkgs.filter((p) => !transitive.has(p.name)).map((p) => [p.name, `^${p.version}`])),
    pkgs,
  );
  truth.repos.push(name);
  truth.lockfiles.push(
    { repo: name, path: plain, format: 'package-lock' },
    { repo: name, path: exposedPath, format: 'pnpm-lock' },
  );
  truth.exposed.push({
    repo: name,
    path: exposedPath,
    format: 'pnpm-lock',
    packages: exposure.map(({ name: n, version }) => ({ name: n, version })),
  });
  truth.exposedRepos.push(name);
  truth.truncatedRepos.push(name);
  truth.runsInWindow[name] = [];
  truth.selfHostedRunsInWindow[name] = [];
  truth.secretNames[name] = { repo: [], environments: {}, org: ['ORG_NPM_TOKEN', 'SLACK_WEBHOOK_URL'] };
  return { name, visibility: 'private', files: out };
}

function dedupe<T extends { ecosystem: string; name: string; version: string }>(list: T[]): T[] {
  const seen = new Map<string, T>();
  for (const p of list) seen.set(`${p.ecosystem}:${p.name}@${p.version}`, p);
  return [...seen.values()];
}

/** The packages and, from `pool`, everything they depend on: a lockfile holds the whole tree, as npm writes it. */
function withDependencies(list: LockPackage[], pool: LockPackage[]): LockPackage[] {
  const out = [...list];
  for (let k = 0; k < out.length; k++)
    for (const dep of Object.keys(out[k]!.dependencies ?? {})) {
      const p = pool.find((q) => q.name === dep);
      if (p && !out.includes(p)) out.push(p);
    }
  return out;
}

function dedupeLock(list: LockPackage[]): LockPackage[] {
  const seen = new Map<string, LockPackage>();
  for (const p of list) if (!seen.has(p.name)) seen.set(p.name, p);
  return [...seen.values()];
}

/** A small seeded PRNG so generated organisations are identical run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
