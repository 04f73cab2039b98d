import { createHash } from 'node:crypto';
import { gzippedTar } from '../tar';

/** The manifest fields a sandbox package's tarball carries in `package/package.json`. */
export interface TarballManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const cache = new Map<string, Buffer>();

/**
 * The tarball the sandbox registry serves for a package version: a gzipped ustar archive holding only
 * `package/package.json`. It is deterministic (fixed mtime, fixed field order), so the generator can write its real
 * `integrity` into lockfiles and npm, pnpm and yarn installs from the sandbox registry verify it as they would on
 * registry.npmjs.org.
 */
export function packTarball(m: TarballManifest): Buffer {
  const manifest = {
    name: m.name,
    version: m.version,
    ...(m.dependencies && Object.keys(m.dependencies).length > 0 ? { dependencies: m.dependencies } : {}),
    ...(m.optionalDependencies && Object.keys(m.optionalDependencies).length > 0
      ? { optionalDependencies: m.optionalDependencies }
      : {}),
    license: 'MIT',
  };
  const key = JSON.stringify(manifest);
  const hit = cache.get(key);
  if (hit) return hit;
  const gz = gzippedTar([['package/package.json', `${JSON.stringify(manifest, null, 2)}\n`]]);
  cache.set(key, gz);
  return gz;
}

/** `sha512-…` and the hex sha1 (`shasum`) of a package version's sandbox tarball, as the registry lists them. */
export function tarballDigests(m: TarballManifest): { integrity: string; shasum: string } {
  const gz = packTarball(m);
  return {
    integrity: `sha512-${createHash('sha512').update(gz).digest('base64')}`,
    shasum: createHash('sha1').update(gz).digest('hex'),
  };
}
