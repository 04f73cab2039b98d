// osv-scalibr (google/osv-scalibr) as the peer for the scan benchmark: built from its tagged Go module into .tools/bin.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A real tag (`go list -m -versions github.com/google/osv-scalibr`), pinned so runs compare like with like. */
export const SCALIBR_VERSION = 'v0.5.3';

/** The extractor plugins matching the corpus formats. */
const PLUGINS = 'javascript/packagelockjson,javascript/pnpmlock,javascript/yarnlock,javascript/bunlock,rust/cargolock';

/** Where the binary is, or why there is none. */
export type ScalibrBinary = { path: string; built?: number } | { unavailable: string };

/** Uses .tools/bin/scalibr, building it with `go install` first if needed (a cold build takes minutes). */
export async function ensureScalibr(repo: string): Promise<ScalibrBinary> {
  const bin = path.join(repo, '.tools/bin/scalibr');
  if (existsSync(bin)) return { path: bin };
  const started = performance.now();
  try {
    await exec('go', ['install', `github.com/google/osv-scalibr/binary/scalibr@${SCALIBR_VERSION}`], {
      cwd: repo,
      timeout: 170_000,
      env: { ...process.env, GOBIN: path.dirname(bin) },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { killed?: boolean; stderr?: string; message: string };
    if (e.killed) return { unavailable: `go install scalibr@${SCALIBR_VERSION} did not finish within 170 s` };
    return { unavailable: `go install scalibr@${SCALIBR_VERSION} failed: ${(e.stderr ?? e.message).slice(-400)}` };
  }
  return { path: bin, built: Math.round((performance.now() - started) / 1000) };
}

/** One scalibr run: process wall time, its own reported extraction time, and the packages it found. */
export interface ScalibrRun {
  wallMs: number;
  extractMs?: number;
  packages?: number;
}

/** Runs scalibr over `root` with only the lockfile extractors enabled, writing its result proto to `resultFile`. */
export async function runScalibr(bin: string, root: string, resultFile: string): Promise<ScalibrRun> {
  const started = performance.now();
  const { stderr } = await exec(bin, ['--root', root, '--plugins', PLUGINS, '--result', resultFile], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const elapsed = /Extract calls, ([\d.]+)(ms|s) elapsed/.exec(stderr);
  const found = /Found (\d+) software packages/.exec(stderr);
  const run: ScalibrRun = { wallMs };
  if (elapsed) run.extractMs = Number(elapsed[1]) * (elapsed[2] === 's' ? 1000 : 1);
  if (found) run.packages = Number(found[1]);
  return run;
}

/** `name@version` of every package in a scalibr result proto (text format), grouped by the lockfile it came from. */
export async function scalibrPackages(resultFile: string): Promise<Map<string, Set<string>>> {
  const text = await readFile(resultFile, 'utf8');
  const byFile = new Map<string, Set<string>>();
  const entry =
    /\n {2}packages: {2}\{\n {4}id: {2}"[^"]*"\n {4}name: {2}"([^"]*)"\n {4}version: {2}"([^"]*)"[\s\S]*?\n {4}locations: {2}"([^"]*)"/g;
  for (const m of text.matchAll(entry)) {
    const [, name, version, file] = m as unknown as [string, string, string, string];
    const set = byFile.get(file) ?? new Set<string>();
    set.add(`${name}@${version}`);
    byFile.set(file, set);
  }
  return byFile;
}
