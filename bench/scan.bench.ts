// Scan throughput of cordon's lockfile scanner (MB/s, packages/s) over a corpus of large real lockfiles, next to
// osv-scalibr's lockfile extractors on the same files. Prints one JSON object (bench/main.ts convention).
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { findLockfiles, loadAdvisories, scanPaths } from '../scan';
import { PARSERS } from '../lockfiles';
import { AdvisoryLookup } from '../domain/advisory';
import { ensureCorpus, NOT_GENERATED } from './scan-corpus';
import { ensureScalibr, runScalibr, scalibrPackages, SCALIBR_VERSION, type ScalibrRun } from './scan-scalibr';

const repo = path.resolve(__dirname, '..');
const corpusDir = path.join(repo, '.cordon/bench-corpus');
const RUNS = 9;

export default async (): Promise<Record<string, unknown>> => {
  // The scalibr build (minutes when cold) and the corpus (a minute when cold) are independent: do both at once.
  const [generators, scalibr] = await Promise.all([ensureCorpus(corpusDir), ensureScalibr(repo)]);
  const advisories = await realAdvisories();
  const lookup = new AdvisoryLookup(advisories);
  const found = await findLockfiles([corpusDir], corpusDir);
  const bytes = found.lockfiles.reduce((n, l) => n + statSync(l.absolute).size, 0);

  await scanPaths({ paths: ['.'], cwd: corpusDir, lookup }); // warm-up: JIT and file cache
  const times: number[] = [];
  let report = await scanPaths({ paths: ['.'], cwd: corpusDir, lookup });
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    report = await scanPaths({ paths: ['.'], cwd: corpusDir, lookup });
    times.push(performance.now() - started);
  }
  const ms = median(times);
  const perFormat = await formatThroughput(found.lockfiles);
  const minified = minifiedThroughput();
  const cli = await cliWallTime();

  const peer: Record<string, unknown> = { tool: `osv-scalibr ${SCALIBR_VERSION}` };
  if ('unavailable' in scalibr) peer.unavailable = scalibr.unavailable;
  else {
    if (scalibr.built !== undefined) peer.buildSeconds = scalibr.built;
    const resultFile = path.join(os.tmpdir(), 'cordon-bench-scalibr.textproto');
    const runs: ScalibrRun[] = [];
    for (let i = 0; i < 3; i++) runs.push(await runScalibr(scalibr.path, corpusDir, resultFile));
    const wall = median(runs.map((r) => r.wallMs));
    const extract = median(runs.flatMap((r) => (r.extractMs === undefined ? [] : [r.extractMs])));
    peer.packages = runs[0]?.packages;
    peer.processWallMs = round(wall);
    peer.extractMs = round(extract);
    peer.mbPerSecond = round(bytes / 1e6 / (extract / 1000));
    peer.packagesPerSecond = runs[0]?.packages ? Math.round(runs[0].packages / (extract / 1000)) : undefined;
    peer.agreement = await agreement(found.lockfiles, resultFile);
    peer.note = 'extractMs is scalibr\'s own "elapsed" for extraction (file walk + parse), without process start-up';
  }

  return {
    corpus: {
      dir: path.relative(repo, corpusDir),
      generators,
      notGenerated: NOT_GENERATED,
      lockfiles: found.lockfiles.length,
      megabytes: round(bytes / 1e6),
    },
    cordon: {
      advisories: advisories.length,
      packages: report.scanned.packages,
      findings: report.findings.length,
      errors: report.errors,
      runs: RUNS,
      medianMs: round(ms),
      mbPerSecond: round(bytes / 1e6 / (ms / 1000)),
      packagesPerSecond: Math.round(report.scanned.packages / (ms / 1000)),
      perFormat,
      minified,
      cliProcessWallMs: cli,
      note: 'medianMs is an in-process scan (walk + read + parse + match against every advisory); cliProcessWallMs adds node/tsx start-up',
    },
    peer,
  };
};

/**
 * Per lockfile, whether cordon and scalibr see the same distinct `name@version`s, and the differences if not (scalibr
 * also lists Cargo workspace crates, which cordon leaves out on purpose: they are not from crates.io).
 */
async function agreement(
  lockfiles: Awaited<ReturnType<typeof findLockfiles>>['lockfiles'],
  resultFile: string,
): Promise<Record<string, unknown>> {
  const theirs = await scalibrPackages(resultFile);
  const out: Record<string, unknown> = {};
  for (const l of lockfiles) {
    const ours = new Set(
      PARSERS[l.format](l.display, await readFile(l.absolute, 'utf8')).packages.map((p) => `${p.name}@${p.version}`),
    );
    const other = theirs.get(l.display) ?? new Set<string>();
    const onlyCordon = [...ours].filter((p) => !other.has(p));
    const onlyScalibr = [...other].filter((p) => !ours.has(p));
    out[l.display] = {
      cordon: ours.size,
      scalibr: other.size,
      onlyCordon: onlyCordon.slice(0, 10),
      onlyScalibr: onlyScalibr.slice(0, 10),
    };
  }
  return out;
}

/** Every OSV record and IOC list in ../shared, so matching cost is that of a real incident's advisory set. */
async function realAdvisories(): Promise<ConstructorParameters<typeof AdvisoryLookup>[0]> {
  const data = path.resolve(repo, '../shared/data');
  if (!existsSync(data)) return [];
  const loaded = await loadAdvisories([path.join(data, 'osv'), path.join(data, 'ioc')], repo);
  return loaded.advisories;
}

/** Parse-only throughput per format, from text already in memory. */
async function formatThroughput(
  lockfiles: Awaited<ReturnType<typeof findLockfiles>>['lockfiles'],
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const l of lockfiles) {
    const text = await readFile(l.absolute, 'utf8');
    const parse = PARSERS[l.format];
    parse(l.display, text);
    const times: number[] = [];
    let packages = 0;
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      packages = parse(l.display, text).packages.length;
      times.push(performance.now() - started);
    }
    const ms = median(times);
    out[l.display] = {
      packages,
      kilobytes: Math.round(text.length / 1000),
      medianMs: round(ms),
      mbPerSecond: round(text.length / 1e6 / (ms / 1000)),
    };
  }
  return out;
}

/**
 * Parse throughput on one-line (minified) package-locks of 5, 10 and 20 MB. Line numbers used to cost a search to
 * the end of the text per package there (quadratic: 27 s for 20 MB); this shows they no longer do.
 */
export function minifiedThroughput(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const megabytes of [5, 10, 20]) {
    const text = minifiedPackageLock(megabytes * 1e6);
    const parse = PARSERS['package-lock'];
    let packages = parse('package-lock.json', text).packages.length;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      packages = parse('package-lock.json', text).packages.length;
      times.push(performance.now() - started);
    }
    const ms = median(times);
    out[`${megabytes}MB`] = { packages, medianMs: round(ms), mbPerSecond: round(text.length / 1e6 / (ms / 1000)) };
  }
  return out;
}

/** A lockfileVersion 3 package-lock of about `bytes` characters on a single line. */
function minifiedPackageLock(bytes: number): string {
  const packages: Record<string, unknown> = { '': { name: 'app', dependencies: { 'pkg-0': '1.0.0' } } };
  for (let i = 0; i * 110 < bytes; i++) {
    packages[`node_modules/pkg-${i}`] = {
      version: '1.0.0',
      resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz`,
    };
  }
  return JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages });
}

/** Wall time of `cordon scan` as a process over the corpus (what a user waits for). */
async function cliWallTime(): Promise<number> {
  const started = performance.now();
  try {
    await promisify(execFile)(
      process.execPath,
      [
        'node_modules/tsx/dist/cli.mjs',
        'cli/main.ts',
        'scan',
        corpusDir,
        '--advisory',
        path.resolve(repo, '../shared/data/osv'),
        '--format',
        'json',
      ],
      { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch {
    // Exit 1 means findings; the time is what matters here.
  }
  return round(performance.now() - started);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
