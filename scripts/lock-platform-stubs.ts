// The npm registry reachable here serves only the linux builds of platform-specific optional packages
// (@swc/core-darwin-arm64 and the like answer 404), so `npm install` leaves them out of package-lock.json and
// `npm ci` then refuses the lock as out of sync. This script records each missing optional platform package in
// the lock with its version and the os/cpu/libc its name declares, exactly as npm would, so `npm ci` skips it on
// other platforms. Such entries carry no integrity (it could not be fetched here); on a platform that installs
// one, npm fetches it by exact version from the registry.
//
// Run after any `npm install`: `npm run -s lock:platform-stubs`.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64'];

/** os, cpu and libc from a platform package's name suffix (`…-linux-arm-gnueabihf`, `…-win32-x64-msvc`). */
export function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | undefined {
  const m = /-(darwin|linux|win32|freebsd|android|openharmony)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (!m || !OS.includes(m[1]!) || !CPU.includes(m[2]!)) return undefined;
  const out: Pick<LockEntry, 'os' | 'cpu' | 'libc'> = { os: [m[1]!], cpu: [m[2]!] };
  if (m[1] === 'linux' && m[3]?.startsWith('gnu')) out.libc = ['glibc'];
  if (m[1] === 'linux' && m[3]?.startsWith('musl')) out.libc = ['musl'];
  return out;
}

function main(): void {
  const file = path.resolve(__dirname, '..', 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };
  const added: string[] = [];
  for (const [at, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const nested = `${at}/node_modules/${name}`;
      const hoisted = `node_modules/${name}`;
      if (lock.packages[nested] || lock.packages[hoisted]) continue;
      const platform = platformOf(name);
      if (!platform)
        throw new Error(
          `${name}@${version} (optional dependency of ${at}) is missing from the lock and is not a platform package`,
        );
      lock.packages[hoisted] = { version, optional: true, ...platform };
      added.push(`${name}@${version}`);
    }
  }
  const sorted = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync(file, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
  process.stdout.write(
    added.length ? `recorded ${added.length} platform packages: ${added.join(', ')}\n` : 'lock already complete\n',
  );
}

if (require.main === module) main();
