import { readFileSync } from 'node:fs';
import path from 'node:path';
import { platformOf } from '../../../scripts/lock-platform-stubs';

describe('package-lock platform stubs', () => {
  it('reads os, cpu and libc from platform package names', () => {
    expect(platformOf('@swc/core-linux-arm-gnueabihf')).toEqual({ os: ['linux'], cpu: ['arm'], libc: ['glibc'] });
    expect(platformOf('@unrs/resolver-binding-linux-riscv64-musl')).toEqual({
      os: ['linux'],
      cpu: ['riscv64'],
      libc: ['musl'],
    });
    expect(platformOf('@swc/core-win32-ia32-msvc')).toEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('@swc/core-darwin-arm64')).toEqual({ os: ['darwin'], cpu: ['arm64'] });
    expect(platformOf('left-pad')).toBeUndefined();
  });

  it('keeps the committed lock complete: every optional dependency has an entry, so npm ci accepts it', () => {
    const lock = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package-lock.json'), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing: string[] = [];
    for (const [at, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (!lock.packages[`${at}/node_modules/${name}`] && !lock.packages[`node_modules/${name}`])
          missing.push(`${name} (of ${at})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
