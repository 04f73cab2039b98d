// Pin rewrite benchmarks. For each lockfile format cordon rewrites, the exposed lockfile of a generated repository
// (the Mastra compromise: @mastra/core 1.42.1 and its dropper) is pinned in process against the sandbox npm registry
// over HTTP, with a fresh registry client each run (so package documents are fetched every time). The peer, in the
// same run, is the package manager checking the same pinned lockfile: `npm ls --package-lock-only`, a frozen
// lockfile-only `pnpm install --offline`, and a frozen `yarn install` from the sandbox registry (yarn 1 has no
// lockfile-only mode, so it fetches and unpacks the tarballs too). At scale: a lockfile of BENCH_PIN_PACKAGES packages,
// each depending on the compromised one, pinned against reading and writing the same file back unchanged (the bare
// cost of touching it: JSON / YAML document / yarn entries) in the same run. The Python and Cargo pinners likewise,
// each against its own package manager reading the pinned result: `pip download` (hash-checking mode), Poetry's
// check, sync and pip check, pipenv's verify, sync and pip check, uv's lock --check, sync --locked and pip check,
// and `cargo metadata --locked`, each from its sandbox registry.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { pinNpmLockfile, type NpmPinOptions, type NpmPinResult } from '../lockfiles/npm/package-lock.pin';
import { pinPnpmLockfile } from '../lockfiles/npm/pnpm-lock.pin';
import { pinCargoLockfile } from '../lockfiles/cargo/cargo-lock.pin';
import { pinPipfileLock } from '../lockfiles/pypi/pipfile-lock.pin';
import { pinPoetryLockfile } from '../lockfiles/pypi/poetry-lock.pin';
import { pinRequirementsTxt } from '../lockfiles/pypi/requirements-txt.pin';
import { pinUvLockfile } from '../lockfiles/pypi/uv-lock.pin';
import type { LockPinOptions, LockPinResult } from '../lockfiles/pin-types';
import { pinYarnLockfile } from '../lockfiles/npm/yarn-lock.pin';
import { createCratesRegistry } from '../activities/registries/crates';
import { createPyPiRegistry, type PyPiRegistry } from '../activities/registries/pypi';
import { createNpmRegistry } from '../activities/registries/npm';
import { AdvisoryLookup, parseOsvJson } from '../domain/advisory';
import { parseDocument } from 'yaml';
import { readYarnEntries } from '../lockfiles/npm/yarn-entries';
import { MASTRA_EXPOSURE } from '../sandbox/github';
import { seededNpmPackages, type LockPackage } from '../sandbox/github/generate';
import { writePackageLock, writePnpmLock, writeYarnLock } from '../sandbox/github/generate/lockfile-writers';
import { startCratesRegistrySandbox } from '../sandbox/crates-registry';
import { startNpmRegistrySandbox } from '../sandbox/npm-registry';
import { projectsWithout, SEEDED_PROJECTS, startPyPiSandbox, wheelSha256 } from '../sandbox/pypi';
import { exposedLockfile, readByPackageManager } from '../test/harness/package-managers';
import { readByCargo } from '../test/harness/cargo';
import { pipDownload } from '../test/harness/pip';
import { ensurePipenv, pipenvLock, readByPipenv } from '../test/harness/pipenv';
import { ensurePoetry, poetryLock, readByPoetry } from '../test/harness/poetry';
import { ensureUv, readByUv, uvLock } from '../test/harness/uv';
import { summary } from './stats';

const RUNS = Number(process.env.BENCH_PIN_RUNS ?? 30);
const PEER_RUNS = Number(process.env.BENCH_PIN_PEER_RUNS ?? 5);
const PACKAGES = Number(process.env.BENCH_PIN_PACKAGES ?? 3000);

/** The same lockfile read and written back unchanged, per format: the floor any rewrite pays. */
const BARE: Record<string, (text: string) => string> = {
  'package-lock': (t) => JSON.stringify(JSON.parse(t), null, 2),
  'pnpm-lock': (t) => parseDocument(t).toString(),
  'yarn-lock': (t) =>
    readYarnEntries(t)
      .entries.map((e) => e.descriptors.join(', '))
      .join('\n'),
};

/** A big tree: PACKAGES filler packages, each depending on @mastra/core, plus the seeded packages. */
function bigLockfiles(): Record<string, { lockText: string; manifestText: string }> {
  const fillers: LockPackage[] = Array.from({ length: PACKAGES }, (_, i) => ({
    name: `filler-${String(i).padStart(5, '0')}`,
    version: '1.0.0',
    dependencies: { '@mastra/core': '^1.42.0' },
  }));
  // Without the generator's near-miss (an older @mastra/core), so that every format locks exactly the bad one.
  const bad = new Map(MASTRA_EXPOSURE.map((p) => [p.name, p.version]));
  const seeded = seededNpmPackages().filter((p) => (bad.get(p.name) ?? p.version) === p.version);
  const pkgs = [...seeded, ...fillers];
  const direct = Object.fromEntries(fillers.map((f) => [f.name, `^${f.version}`]));
  const manifestText = `${JSON.stringify({ name: 'big', version: '1.0.0', private: true, dependencies: direct }, null, 2)}\n`;
  return {
    'package-lock': { lockText: writePackageLock('big', direct, pkgs), manifestText },
    'pnpm-lock': { lockText: writePnpmLock(direct, pkgs), manifestText },
    'yarn-lock': { lockText: writeYarnLock(direct, pkgs), manifestText },
  };
}

const PINNERS: Record<string, (o: NpmPinOptions) => Promise<NpmPinResult>> = {
  'package-lock': pinNpmLockfile,
  'pnpm-lock': pinPnpmLockfile,
  'yarn-lock': pinYarnLockfile,
};

export default async function bench(): Promise<unknown> {
  const lookup = new AdvisoryLookup([
    {
      id: 'bench',
      aliases: [],
      source: 'bench',
      affected: MASTRA_EXPOSURE.map((p) => ({
        ecosystem: 'npm' as const,
        name: p.name,
        versions: [p.version],
        ranges: [],
      })),
    },
  ]);
  const affected = (name: string, version: string) => lookup.affecting('npm', name, version).length > 0;
  const registry = await startNpmRegistrySandbox();
  const out: Record<string, unknown> = {};
  try {
    for (const [format, pin] of Object.entries(PINNERS)) {
      const lf = exposedLockfile(format, { repos: 18, exposedRepos: 4, seed: 5 }, true);
      const options = { lockText: lf.lockText, manifestText: lf.manifestText, affected };
      const cordon: number[] = [];
      let last: NpmPinResult | undefined;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        last = await pin({ ...options, registry: createNpmRegistry({ url: registry.url }) });
        cordon.push(performance.now() - t);
      }
      const peer: number[] = [];
      let status: number | null = null;
      for (let i = 0; i < PEER_RUNS; i++) {
        const t = performance.now();
        const r = await readByPackageManager(
          format,
          path.posix.basename(lf.path),
          last!.lockText,
          last!.manifestText!,
          registry.url,
        );
        peer.push(performance.now() - t);
        status = r.status;
      }
      out[format] = {
        lockfileBytes: options.lockText.length,
        changes: last!.changes.map((c) => `${c.package} ${c.from} → ${c.to ?? 'removed'}`),
        cordonPinMs: summary(cordon),
        packageManagerCheckMs: { ...summary(peer), exit: status },
      };
    }
    const big = bigLockfiles();
    for (const [format, pin] of Object.entries(PINNERS)) {
      const options = { ...big[format]!, affected };
      const cordon: number[] = [];
      const bare: number[] = [];
      let last: NpmPinResult | undefined;
      for (let i = 0; i < Math.max(3, Math.round(RUNS / 6)); i++) {
        let t = performance.now();
        last = await pin({ ...options, registry: createNpmRegistry({ url: registry.url }) });
        cordon.push(performance.now() - t);
        t = performance.now();
        BARE[format]!(options.lockText);
        bare.push(performance.now() - t);
      }
      out[`${format}-${PACKAGES}`] = {
        lockfileBytes: options.lockText.length,
        changes: last!.changes.map((c) => `${c.package} ${c.from} → ${c.to ?? 'removed'}`),
        problems: last!.problems.length,
        cordonPinMs: summary(cordon),
        bareReadWriteMs: summary(bare),
      };
    }
  } finally {
    await registry.stop();
  }
  Object.assign(
    out,
    await benchRequirements(),
    await benchCargo(),
    await benchPythonLock('poetry-lock', POETRY),
    await benchPythonLock('pipfile-lock', PIPENV),
    await benchPythonLock('uv-lock', UV),
  );
  return out;
}

/** Times `pin` over RUNS runs and `check` of its last result over PEER_RUNS runs: cordon against the package manager. */
async function pinAgainstCheck(
  pin: () => Promise<LockPinResult>,
  check: (pinned: LockPinResult) => Promise<{ status: number | null }>,
): Promise<Record<string, unknown>> {
  const cordon: number[] = [];
  let last: LockPinResult | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    last = await pin();
    cordon.push(performance.now() - t);
  }
  const peer: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < PEER_RUNS; i++) {
    const t = performance.now();
    status = (await check(last!)).status;
    peer.push(performance.now() - t);
  }
  return {
    changes: last!.changes.map((c) => `${c.package} ${c.from} → ${c.to ?? 'removed'}`),
    cordonPinMs: summary(cordon),
    packageManagerCheckMs: { ...summary(peer), exit: status },
  };
}

/**
 * Cargo: a lockfile cargo itself wrote for quick-parse 0.4.2 (which adds a dropper) from the sandbox sparse index,
 * pinned against `cargo metadata --locked` reading the pinned pair in the same run.
 */
async function benchCargo(): Promise<Record<string, unknown>> {
  const index = await startCratesRegistrySandbox();
  try {
    const manifestText =
      '[package]\nname = "bench"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nquick-parse = "0.4.2"\n';
    const locked = await readByCargo({ 'Cargo.toml': manifestText }, index.indexUrl, ['generate-lockfile']);
    const lockText = readFileSync(path.join(locked.dir, 'Cargo.lock'), 'utf8');
    const affected = (name: string, version: string) => name === 'quick-parse' && version === '0.4.2';
    return {
      'cargo-lock': {
        lockfileBytes: lockText.length,
        ...(await pinAgainstCheck(
          () =>
            pinCargoLockfile({
              lockText,
              manifestText,
              affected,
              registry: createCratesRegistry({ indexUrl: index.indexUrl, apiUrl: index.url }),
              publishedBefore: '2026-06-17T04:00:00Z',
            }),
          (pinned) =>
            readByCargo({ 'Cargo.toml': pinned.manifestText!, 'Cargo.lock': pinned.lockText }, index.indexUrl),
        )),
      },
    };
  } finally {
    await index.stop();
  }
}

/**
 * pip requirements: a pip-compile file with hashes locking num2words 0.5.15 (MAL-2025-6794) pinned against the
 * sandbox index, against `pip download` checking the pinned file (hash-checking mode) in the same run; and a
 * PACKAGES-line `pip freeze` file pinned against splitting and joining its lines (the bare cost).
 */
async function benchRequirements(): Promise<Record<string, unknown>> {
  const lookup = new AdvisoryLookup(
    parseOsvJson(
      'MAL-2025-6794.json',
      readFileSync(path.join(__dirname, '../../shared/data/osv/pypi/num2words/MAL-2025-6794.json'), 'utf8'),
    ).advisories,
  );
  const affected = (name: string, version: string) => lookup.affecting('PyPI', name, version).length > 0;
  const index = await startPyPiSandbox();
  try {
    const locked = SEEDED_PROJECTS.filter((p) => p.name !== 'flask' && p.name !== 'pydantic').map((p) => {
      const r = p.name === 'num2words' ? p.releases.find((x) => x.version === '0.5.15')! : p.releases.at(-1)!;
      const digest = wheelSha256({
        name: p.name,
        version: r.version,
        ...(r.requiresDist ? { requiresDist: r.requiresDist } : {}),
      });
      return `${p.name}==${r.version} \\\n    --hash=sha256:${digest}\n    # via -r requirements.in`;
    });
    const lockText = `${locked.join('\n')}\n`;
    const cordon: number[] = [];
    let last: LockPinResult | undefined;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      last = await pinRequirementsTxt({ lockText, affected, registry: createPyPiRegistry({ url: index.url }) });
      cordon.push(performance.now() - t);
    }
    const peer: number[] = [];
    let status: number | null = null;
    for (let i = 0; i < PEER_RUNS; i++) {
      const t = performance.now();
      status = (await pipDownload(last!.lockText, index.url)).status;
      peer.push(performance.now() - t);
    }
    const freeze = [
      ...Array.from({ length: PACKAGES }, (_, i) => `filler-${String(i).padStart(5, '0')}==1.0.0`),
      'num2words==0.5.15',
    ].join('\n');
    const big: number[] = [];
    const bare: number[] = [];
    let bigLast: LockPinResult | undefined;
    for (let i = 0; i < Math.max(3, Math.round(RUNS / 6)); i++) {
      let t = performance.now();
      bigLast = await pinRequirementsTxt({
        lockText: freeze,
        affected,
        registry: createPyPiRegistry({ url: index.url }),
      });
      big.push(performance.now() - t);
      t = performance.now();
      freeze.split(/\r?\n/).join('\n');
      bare.push(performance.now() - t);
    }
    return {
      'requirements-txt': {
        lockfileBytes: lockText.length,
        changes: last!.changes.map((c) => `${c.package} ${c.from} → ${c.to ?? 'removed'}`),
        cordonPinMs: summary(cordon),
        packageManagerCheckMs: { ...summary(peer), exit: status },
      },
      [`requirements-txt-${PACKAGES}`]: {
        lockfileBytes: freeze.length,
        changes: bigLast!.changes.map((c) => `${c.package} ${c.from} → ${c.to ?? 'removed'}`),
        cordonPinMs: summary(big),
        bareReadWriteMs: summary(bare),
      },
    };
  } finally {
    await index.stop();
  }
}

/** A Python lock tool as the bench drives it: its install, its manifest, how it locks, how it checks, cordon's pin. */
interface PythonLockTool {
  ensure(): Promise<string>;
  manifest: string;
  lock(manifest: string, index: string): Promise<string>;
  check(manifest: string, lock: string, index: string): Promise<{ status: number | null }>;
  pin(options: LockPinOptions & { registry: PyPiRegistry }): Promise<LockPinResult>;
}

/** Poetry: `poetry check --lock`, `poetry sync`, `pip check`. */
const POETRY: PythonLockTool = {
  ensure: () => ensurePoetry(),
  manifest:
    '[project]\nname = "bench"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = ["num2words (>=0.5.13)"]\n\n[tool.poetry]\npackage-mode = false\n',
  lock: poetryLock,
  check: (pyproject, lock, index) => readByPoetry({ pyproject, lock }, index),
  pin: pinPoetryLockfile,
};
/** pipenv: `pipenv verify`, `pipenv sync`, `pip check`. */
const PIPENV: PythonLockTool = {
  ensure: () => ensurePipenv(),
  manifest: '[packages]\nnum2words = ">=0.5.13"\n\n[requires]\npython_version = "3.11"\n',
  lock: pipenvLock,
  check: (pipfile, lock, index) => readByPipenv({ pipfile, lock }, index),
  pin: pinPipfileLock,
};
/** uv: `uv lock --check`, `uv sync --locked`, `uv pip check`. */
const UV: PythonLockTool = {
  ensure: () => ensureUv(),
  manifest:
    '[project]\nname = "bench"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = ["num2words>=0.5.13"]\n',
  lock: uvLock,
  check: (pyproject, lock, index) => readByUv({ pyproject, lock }, index),
  pin: pinUvLockfile,
};

/**
 * A lock the tool itself wrote for num2words 0.5.15 from the sandbox index (0.5.16 not out yet), pinned by cordon
 * against the tool checking the pinned lock, in the same run.
 */
async function benchPythonLock(key: string, tool: PythonLockTool): Promise<Record<string, unknown>> {
  await tool.ensure();
  const index = await startPyPiSandbox({ projects: projectsWithout('num2words', '0.5.16') });
  try {
    const lockText = await tool.lock(tool.manifest, index.url);
    const affected = (name: string, version: string) => name === 'num2words' && ['0.5.15', '0.5.16'].includes(version);
    return {
      [key]: {
        lockfileBytes: lockText.length,
        ...(await pinAgainstCheck(
          () =>
            tool.pin({
              lockText,
              manifestText: tool.manifest,
              affected,
              registry: createPyPiRegistry({ url: index.url }),
              publishedBefore: '2025-07-28T00:00:00Z',
            }),
          (pinned) => tool.check(tool.manifest, pinned.lockText, index.url),
        )),
      },
    };
  } finally {
    await index.stop();
  }
}
