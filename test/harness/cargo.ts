// Reads a Cargo.lock the way Cargo does: the check that a Cargo pin left a lockfile Cargo itself accepts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findCargo } from '../../devserver/tools';
import { runTool, type ToolRun } from './run';

/** What Cargo said, and the project folder it ran in (Cargo.lock as it left it). */
export type CargoRun = ToolRun;

/** Checks a resolve against Cargo.lock without building: Cargo refuses to change the lockfile. */
export const METADATA_LOCKED = ['metadata', '--locked', '--format-version', '1'];

/**
 * `cargo <args>` in `dir`, with the CARGO_HOME beside it (`<dir>/../cargo-home`) and no proxy for the sandbox on
 * 127.0.0.1. It runs asynchronously: the sandbox registry Cargo reads serves from the test's own process.
 */
export function cargo(dir: string, args: string[]): Promise<CargoRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CARGO_')) env[k] = v;
  // rustup's ~/.cargo/bin may be missing from a CI shell's PATH; npm test's provisioning found Cargo there too.
  return runTool(findCargo() ?? 'cargo', args, {
    cwd: dir,
    env: {
      ...env,
      CARGO_HOME: path.join(dir, '..', 'cargo-home'),
      CARGO_TERM_COLOR: 'never',
      CARGO_NET_RETRY: '0',
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
    },
  }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ENOENT'
      ? new Error('cargo is not on PATH: the Cargo pin tests check lockfiles with Cargo itself (install rustup)')
      : err;
  });
}

/**
 * Writes a Cargo project (`Cargo.toml`, `Cargo.lock` when given, `src/lib.rs` unless a source file is given) in a
 * temp folder whose `.cargo/config.toml` replaces crates.io with the sandbox's sparse index, and runs `cargo <args>`
 * there: by default `cargo metadata --locked`, which resolves against the lockfile and fails where it would change it
 * (https://doc.rust-lang.org/cargo/reference/source-replacement.html).
 */
export async function readByCargo(
  files: Record<string, string>,
  registryIndexUrl: string,
  args: string[] = METADATA_LOCKED,
): Promise<CargoRun> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-cargo-')), 'project');
  const all: Record<string, string> = {
    ...(files['src/main.rs'] === undefined ? { 'src/lib.rs': '' } : {}),
    ...files,
    '.cargo/config.toml': [
      '[source.crates-io]',
      'replace-with = "sandbox"',
      '',
      '[source.sandbox]',
      `registry = "sparse+${registryIndexUrl.replace(/\/*$/, '/')}"`,
      '',
    ].join('\n'),
  };
  for (const [file, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return cargo(dir, args);
}

/** The `name version` of every package in a `cargo metadata` resolve, sorted. */
export function resolvedPackages(metadataJson: string): string[] {
  const doc = JSON.parse(metadataJson) as { packages: Array<{ name: string; version: string }> };
  return doc.packages.map((p) => `${p.name} ${p.version}`).sort();
}
