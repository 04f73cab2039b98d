// `cordon pin` on a checkout: the scan's findings, rewritten by the same pinners as the pin pull requests, as the
// files they would write. Registry clients are passed in: scan/ holds no I/O beyond the local files it reads.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { AdvisoryLookup } from '../domain/advisory';
import {
  PinInputError,
  formatOfPath,
  formatSpec,
  sniffLockfileFormat,
  type Finding,
  type PinChange,
  type PinRegistries,
} from '../lockfiles';
import { scanPaths, type ScanPathProblem } from './scan-paths';
import { unifiedDiff } from './unified-diff';

/** What to pin and against what. */
export interface PinPathsOptions {
  /** Files or directories; relative ones are resolved against `cwd`. */
  paths: readonly string[];
  cwd: string;
  lookup: AdvisoryLookup;
  registries: PinRegistries;
  /** Only versions published before this time count as good (the exposure window's start). */
  publishedBefore?: string;
}

/** A file the pin rewrites: where it is, as shown, and its text before and after. */
export interface PinnedFile {
  /** Relative to the working directory. */
  file: string;
  absolute: string;
  before: string;
  after: string;
}

/** A finding the pin cannot rewrite, with why: left to a person, never dropped. */
export interface PinByHand {
  file: string;
  package: string;
  version: string;
  reason: string;
}

/** The result of a local pin: the scan's findings, the rewrites, and what is left to people. */
export interface LocalPin {
  findings: Finding[];
  files: PinnedFile[];
  changes: Array<PinChange & { file: string }>;
  byHand: PinByHand[];
  /** What the pinners could not do cleanly in files they did rewrite (`file: message`). */
  problems: string[];
  /** Lockfiles that could not be read or parsed. */
  errors: { file: string; message: string }[];
  /** Paths given that do not exist: bad input. */
  missing: ScanPathProblem[];
}

/**
 * Scans `paths`, then rewrites each lockfile holding an affected version with its format's pinner (the formats
 * table's, as the pin pull requests do), together with the manifest beside it. Nothing is written: see `writePin`.
 */
export async function pinPaths(options: PinPathsOptions): Promise<LocalPin> {
  const { cwd, lookup, registries } = options;
  const scan = await scanPaths({ paths: options.paths, cwd, lookup });
  const out: LocalPin = {
    findings: scan.findings,
    files: [],
    changes: [],
    byHand: [],
    problems: [],
    errors: scan.errors,
    missing: scan.missing,
  };
  const byFile = new Map<string, Finding[]>();
  for (const f of scan.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    const handOff = (reason: string): void => {
      for (const f of findings) out.byHand.push({ file, package: f.package, version: f.version, reason });
    };
    const absolute = path.resolve(cwd, file);
    const lockText = await readFile(absolute, 'utf8');
    const format = formatOfPath(file)?.format ?? sniffLockfileFormat(file, lockText);
    const spec = format ? formatSpec(format) : undefined;
    if (!spec?.pinner) {
      handOff(`${format ?? 'this lockfile format'} is not rewritten by cordon yet: pin it with its package manager`);
      continue;
    }
    const manifestAbsolute = spec.manifest ? path.join(path.dirname(absolute), spec.manifest) : undefined;
    const manifestText = manifestAbsolute ? await readIfPresent(manifestAbsolute) : undefined;
    const manifestFile = manifestAbsolute ? path.relative(cwd, manifestAbsolute) : undefined;
    let pinned;
    try {
      pinned = await spec.pinner.pin(
        {
          lockText,
          ...(manifestText !== undefined ? { manifestText } : {}),
          affected: (name, version) => lookup.affecting(spec.ecosystem, name, version).length > 0,
          ...(options.publishedBefore ? { publishedBefore: options.publishedBefore } : {}),
        },
        registries,
      );
    } catch (err) {
      if (!(err instanceof PinInputError)) throw err;
      handOff(`${err.file === 'lockfile' || !manifestFile ? file : manifestFile}: ${err.message}`);
      continue;
    }
    if (pinned.changes.length === 0) {
      handOff(pinned.problems.join('; ') || `no affected version of ${file} could be rewritten`);
      continue;
    }
    out.problems.push(...pinned.problems.map((p) => `${file}: ${p}`));
    if (manifestFile && manifestText === undefined)
      out.problems.push(`${file}: no ${manifestFile} next to it, so no manifest entry keeps the pin`);
    out.changes.push(...pinned.changes.map((c) => ({ ...c, file })));
    if (pinned.lockText !== lockText) out.files.push({ file, absolute, before: lockText, after: pinned.lockText });
    if (manifestFile && manifestAbsolute && manifestText !== undefined && pinned.manifestText !== undefined)
      if (pinned.manifestText !== manifestText)
        out.files.push({
          file: manifestFile,
          absolute: manifestAbsolute,
          before: manifestText,
          after: pinned.manifestText,
        });
  }
  return out;
}

/** The unified diff of every file the pin rewrites, in the order they were pinned (`git apply` takes it). */
export function pinDiff(pin: Pick<LocalPin, 'files'>): string {
  return pin.files.map((f) => unifiedDiff(f.file.split(path.sep).join('/'), f.before, f.after)).join('');
}

/** Writes the rewritten files in place. */
export async function writePin(pin: Pick<LocalPin, 'files'>): Promise<void> {
  for (const f of pin.files) await writeFile(f.absolute, f.after);
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
