import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** The manifest fields a sandbox package's tarball carries in `package/package.json`. */
export interface TarballManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** One ustar header block: name, mode, owner, size, a fixed mtime (0) and the checksum over the block. */
function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
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
  const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const tar = Buffer.concat([
    header('package/package.json', body.length),
    body,
    Buffer.alloc((512 - (body.length % 512)) % 512),
    Buffer.alloc(1024),
  ]);
  const gz = gzipSync(tar, { level: 9 });
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
