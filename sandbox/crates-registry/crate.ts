import { createHash } from 'node:crypto';
import type { IndexDependency, IndexEntry } from './protocol';
import { gzippedTar } from '../tar';

/** A crate version the sandbox serves: its index line plus when it was published (what the web API reports). */
export interface SandboxCrateVersion extends IndexEntry {
  created_at: string;
}

/** A dependency of a sandbox crate: a requirement (a normal dependency), or the index fields that differ. */
export type SandboxDep = string | (Partial<Omit<IndexDependency, 'name'>> & { req: string });

/** What `crateVersion` builds a sandbox crate version from. */
export interface CrateSpec {
  name: string;
  vers: string;
  /** By the name the crate declares them under (a rename sets `package`). */
  deps?: Record<string, SandboxDep>;
  published: string;
  yanked?: boolean;
  features?: Record<string, string[]>;
}

const str = (s: string): string => JSON.stringify(s);

/** The Cargo.toml a sandbox crate ships: its dependencies declared as the index lists them, so Cargo reads both alike. */
export function crateManifest(v: Pick<IndexEntry, 'name' | 'vers' | 'deps' | 'features'>): string {
  const lines = [
    '[package]',
    'edition = "2021"',
    `name = ${str(v.name)}`,
    `version = ${str(v.vers)}`,
    '',
    '[lib]',
    'path = "src/lib.rs"',
  ];
  const features = Object.entries(v.features);
  if (features.length > 0) {
    lines.push('', '[features]');
    for (const [f, list] of features) lines.push(`${str(f)} = [${list.map(str).join(', ')}]`);
  }
  for (const d of v.deps) {
    const table = d.kind === 'dev' ? 'dev-dependencies' : d.kind === 'build' ? 'build-dependencies' : 'dependencies';
    lines.push('', `[${d.target ? `target.${str(d.target)}.` : ''}${table}.${str(d.name)}]`, `version = ${str(d.req)}`);
    if (d.package) lines.push(`package = ${str(d.package)}`);
    if (d.optional) lines.push('optional = true');
    if (!d.default_features) lines.push('default-features = false');
    if (d.features.length > 0) lines.push(`features = [${d.features.map(str).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const cache = new Map<string, Buffer>();

/**
 * The `.crate` file of a sandbox crate version: a gzipped ustar archive of `<name>-<vers>/Cargo.toml` and
 * `<name>-<vers>/src/lib.rs`. It is deterministic (fixed mtime, fixed order), so its sha256 is the index `cksum` and
 * Cargo verifies a download from the sandbox as it does one from crates.io.
 */
export function packCrate(v: Pick<IndexEntry, 'name' | 'vers' | 'deps' | 'features'>): Buffer {
  const manifest = crateManifest(v);
  const key = `${v.name}\0${v.vers}\0${manifest}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = `${v.name}-${v.vers}`;
  const gz = gzippedTar([
    [`${dir}/Cargo.toml`, manifest],
    [`${dir}/src/lib.rs`, `//! ${v.name} ${v.vers}: a cordon sandbox crate.\n`],
  ]);
  cache.set(key, gz);
  return gz;
}

/** A crate version as the sandbox index lists it, with the real checksum of the `.crate` the sandbox serves. */
export function crateVersion(spec: CrateSpec): SandboxCrateVersion {
  const deps: IndexDependency[] = Object.entries(spec.deps ?? {}).map(([name, d]) => {
    const o = typeof d === 'string' ? { req: d } : d;
    return {
      name,
      req: o.req,
      features: o.features ?? [],
      optional: o.optional ?? false,
      default_features: o.default_features ?? true,
      target: o.target ?? null,
      kind: o.kind ?? 'normal',
      ...(o.package ? { package: o.package } : {}),
    };
  });
  const v = { name: spec.name, vers: spec.vers, deps, features: spec.features ?? {} };
  return {
    ...v,
    cksum: createHash('sha256').update(packCrate(v)).digest('hex'),
    yanked: spec.yanked ?? false,
    created_at: spec.published,
  };
}

/** The sandbox's crates by name, from version specs. */
export function crateMap(specs: CrateSpec[]): Map<string, SandboxCrateVersion[]> {
  const crates = new Map<string, SandboxCrateVersion[]>();
  for (const spec of specs) crates.set(spec.name, [...(crates.get(spec.name) ?? []), crateVersion(spec)]);
  return crates;
}

const EARLY = '2026-03-02T10:00:00.000Z';
const EARLIER = '2026-01-12T10:00:00.000Z';
/** Inside the default exposure window (2026-06-17T04:00Z .. 2026-06-18T04:00Z). */
const IN_WINDOW = '2026-06-17T05:10:00.000Z';

/**
 * The crates the sandbox serves by default: `quick-parse` 0.4.2 is the bad release (published inside the window, it
 * adds the dropper `proc-shim`; 0.4.1 before it is good), `tiny-helper` an ordinary crate both depend on, `app-kit` a
 * crate that depends on `quick-parse` (to pin it transitively), and `replit_ruspty` 1.0.0, whose only version is
 * malicious (OSV MAL-2025-49350).
 */
export function seededCrates(): Map<string, SandboxCrateVersion[]> {
  return crateMap([
    { name: 'tiny-helper', vers: '1.0.0', published: EARLIER },
    { name: 'tiny-helper', vers: '1.0.1', published: EARLY },
    { name: 'quick-parse', vers: '0.4.0', deps: { 'tiny-helper': '^1.0' }, published: EARLIER },
    { name: 'quick-parse', vers: '0.4.1', deps: { 'tiny-helper': '^1.0' }, published: EARLY },
    { name: 'proc-shim', vers: '0.1.0', published: IN_WINDOW },
    {
      name: 'quick-parse',
      vers: '0.4.2',
      deps: { 'tiny-helper': '^1.0', 'proc-shim': { req: '^0.1', kind: 'build' } },
      published: IN_WINDOW,
    },
    { name: 'app-kit', vers: '2.3.0', deps: { 'quick-parse': '^0.4' }, published: EARLY },
    { name: 'replit_ruspty', vers: '1.0.0', published: '2025-11-04T04:40:00.000Z' },
    // The ordinary crates the org generator writes into Cargo.lock files.
    ...['anyhow@1.0.89', 'serde@1.0.210', 'tokio@1.40.0', 'regex@1.10.6'].map((id) => {
      const [name, vers] = id.split('@') as [string, string];
      return { name, vers, published: EARLIER };
    }),
  ]);
}
