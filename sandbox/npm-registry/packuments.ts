import type { Packument, PackumentVersion } from './protocol';
import { tarballDigests } from './tarball';
import {
  integrity,
  MASTRA_EXPOSURE,
  seededNpmPackages,
  tarball,
  type ExposedPackage,
  type LockPackage,
} from '../github/generate';

/** When the generated packages were published: the seeded versions a month before the Mastra window. */
const PUBLISHED = '2026-05-17T00:00:00.000Z';
/** The previous patch of each seeded version, published a month earlier still: a last good version to pin to. */
const PREVIOUS_PUBLISHED = '2026-04-17T00:00:00.000Z';

function previousPatch(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m || m[3] === '0') return undefined;
  return `${m[1]}.${m[2]}.${Number(m[3]) - 1}`;
}

function versionDoc(registryUrl: string, p: LockPackage): PackumentVersion {
  const digests = tarballDigests(p);
  return {
    name: p.name,
    version: p.version,
    ...(p.dependencies && Object.keys(p.dependencies).length > 0 ? { dependencies: { ...p.dependencies } } : {}),
    license: 'MIT',
    dist: {
      tarball: tarball(registryUrl, p),
      integrity: integrity(p),
      // The dropper's integrity is the real one from its advisory: no sandbox tarball matches it, so no shasum.
      ...(integrity(p) === digests.integrity ? { shasum: digests.shasum } : {}),
    },
  };
}

/**
 * Package documents for every npm package the org generator writes, as the registry serves them: each seeded
 * version plus its previous patch (except for droppers, published earlier, with the same dependencies minus the exposed packages — the
 * dropper is what the bad release added). The exposed packages' bad versions are published inside the window
 * (`exposure[].publishedAt` or the Mastra window's start), so "last good" is decided the way it is in a real
 * incident: by version and by time.
 */
export function seededPackuments(
  registryUrl: string,
  exposure: ExposedPackage[] = MASTRA_EXPOSURE,
  badPublishedAt = '2026-06-17T03:00:00.000Z',
  droppers: string[] = ['easy-day-js'],
): Map<string, Packument> {
  const exposedNames = new Set(exposure.map((e) => e.name));
  const isBad = new Set(exposure.map((e) => `${e.name}@${e.version}`));
  const docs = new Map<string, Packument>();
  const add = (p: LockPackage, time: string): void => {
    const doc: Packument = docs.get(p.name) ?? { name: p.name, 'dist-tags': {}, versions: {}, time: {} };
    if (doc.versions[p.version]) return;
    doc.versions[p.version] = versionDoc(registryUrl, p);
    doc.time![p.version] = time;
    docs.set(p.name, doc);
  };
  for (const p of seededNpmPackages(exposure)) {
    add(p, isBad.has(`${p.name}@${p.version}`) ? badPublishedAt : PUBLISHED);
    const prev = previousPatch(p.version);
    // Every version of a dropper is malicious: it has no earlier good release.
    if (prev && !droppers.includes(p.name)) {
      const deps = Object.fromEntries(Object.entries(p.dependencies ?? {}).filter(([d]) => !exposedNames.has(d)));
      add({ name: p.name, version: prev, dependencies: deps }, PREVIOUS_PUBLISHED);
    }
  }
  for (const doc of docs.values()) {
    const versions = Object.keys(doc.versions).sort((a, b) => (doc.time![a]! < doc.time![b]! ? -1 : 1));
    doc['dist-tags'] = { latest: versions.at(-1)! };
    doc.time!.created = doc.time![versions[0]!]!;
    doc.time!.modified = doc.time![versions.at(-1)!]!;
  }
  return docs;
}
