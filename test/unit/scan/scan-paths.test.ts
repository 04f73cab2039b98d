import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { scanPaths } from '../../../scan';
import { AdvisoryLookup, type Advisory } from '../../../domain/advisory';

const advisory = (id: string, ecosystem: string, name: string, versions: string[]): Advisory => ({
  id,
  aliases: [],
  source: id,
  affected: [{ ecosystem, name, versions, ranges: [] }],
});

const lookup = new AdvisoryLookup([
  advisory('MAL-AXIOS', 'npm', 'axios', ['1.14.1']),
  advisory('MAL-N2W', 'PyPI', 'num2words', ['0.5.15']),
  advisory('MAL-RUSPTY', 'crates.io', 'replit_ruspty', ['1.0.0']),
]);

const npmLock = JSON.stringify(
  {
    lockfileVersion: 3,
    packages: { '': { dependencies: { axios: '1.14.1' } }, 'node_modules/axios': { version: '1.14.1' } },
  },
  null,
  2,
);

describe('scanPaths', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cordon-scan-'));
    const files: Record<string, string> = {
      'web/package-lock.json': npmLock,
      'web/node_modules/dep/package-lock.json': npmLock,
      '.git/package-lock.json': npmLock,
      'broken/package-lock.json': npmLock.slice(0, 50),
      'garbage/yarn.lock': '\u0000\u0001\u0002binary\u0000',
      'py/requirements.txt': '-r base.txt\n-r missing.txt\nnum2words>=0.5\n',
      'py/base.txt': 'num2words==0.5.15\n',
      'docs/notes.md': '# notes\nnot a lockfile\n',
      'rs/Cargo.lock':
        '[[package]]\nname = "replit_ruspty"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds installs in every format under a directory, skipping node_modules and .git', async () => {
    const report = await scanPaths({ paths: ['.'], cwd: root, lookup });
    expect(report.findings.map((f) => [f.file, f.package, f.version, f.kind, f.line])).toEqual([
      ['py/base.txt', 'num2words', '0.5.15', 'installed', 1],
      ['py/requirements.txt', 'num2words', '>=0.5', 'could-resolve', 3],
      ['rs/Cargo.lock', 'replit_ruspty', '1.0.0', 'installed', 2],
      ['web/package-lock.json', 'axios', '1.14.1', 'installed', 9],
    ]);
    expect(report.findings[1]?.affectedVersion).toBe('0.5.15');
  });

  it('turns malformed lockfiles and missing includes into one error each and scans the rest', async () => {
    const report = await scanPaths({ paths: ['.'], cwd: root, lookup });
    expect(report.errors).toEqual([
      {
        file: 'broken/package-lock.json',
        message: expect.stringMatching(
          /^broken\/package-lock\.json:4: not valid JSON at column \d+: expected .* found end of file$/,
        ),
      },
      { file: 'garbage/yarn.lock', message: "garbage/yarn.lock:1: expected an entry header ending in ':'" },
      { file: 'py/missing.txt', message: 'py/missing.txt: cannot read: no such file or directory' },
    ]);
    // broken, garbage, requirements.txt, base.txt, missing.txt, Cargo.lock, web lock.
    expect(report.scanned).toEqual({ files: 7, packages: 4 });
  });

  it('reports paths relative to the working directory as given', async () => {
    const report = await scanPaths({ paths: ['web/package-lock.json', 'rs'], cwd: root, lookup });
    expect(report.findings.map((f) => f.file)).toEqual(['rs/Cargo.lock', 'web/package-lock.json']);
    const fromInside = await scanPaths({ paths: ['.'], cwd: path.join(root, 'web'), lookup });
    expect(fromInside.findings.map((f) => f.file)).toEqual(['package-lock.json']);
  });

  it('lists scan paths that do not exist separately, as bad input', async () => {
    const report = await scanPaths({ paths: ['nope'], cwd: root, lookup });
    expect(report.missing).toEqual([{ file: 'nope', message: 'cannot read nope: no such file or directory' }]);
  });

  it('reports a file given by name whose name and content are not a lockfile', async () => {
    const report = await scanPaths({ paths: ['docs/notes.md'], cwd: root, lookup });
    expect(report.errors).toEqual([
      {
        file: 'docs/notes.md',
        message: expect.stringMatching(
          /^docs\/notes\.md: neither its name nor its content is that of a lockfile cordon reads/,
        ),
      },
    ]);
  });

  it('reads a file given by name under another name by its content', async () => {
    const report = await scanPaths({ paths: ['py/base.txt'], cwd: root, lookup });
    expect(report.errors).toEqual([]);
    expect(report.findings.map((f) => [f.file, f.package, f.version])).toEqual([
      ['py/base.txt', 'num2words', '0.5.15'],
    ]);
  });

  it('tells a progress callback how far it is', async () => {
    const seen: string[] = [];
    await scanPaths({
      paths: ['rs', 'web'],
      cwd: root,
      lookup,
      onProgress: (d, t, f) => seen.push(`${d}/${t} ${f}`),
    });
    expect(seen).toEqual(['1/2 rs/Cargo.lock', '2/2 web/package-lock.json']);
  });
});

describe('scanLockfiles reads only regular files inside the scanned tree', () => {
  let base: string;
  let root: string;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'cordon-scan-special-'));
    root = path.join(base, 'repo');
    await mkdir(path.join(root, 'fifo'), { recursive: true });
    await mkdir(path.join(root, 'device'), { recursive: true });
    await mkdir(path.join(root, 'escape'), { recursive: true });
    await mkdir(path.join(root, 'include'), { recursive: true });
    await mkdir(path.join(root, 'inside'), { recursive: true });
    await writeFile(path.join(root, 'web-package-lock.json'), npmLock);
    await mkdir(path.join(root, 'web'), { recursive: true });
    await writeFile(path.join(root, 'web/package-lock.json'), npmLock);
    // A writer-less FIFO: reading it would block forever.
    execFileSync('mkfifo', [path.join(root, 'fifo/yarn.lock')]);
    // A device that never ends, reached through a link inside the tree.
    await symlink('/dev/zero', path.join(root, 'device/Pipfile.lock'));
    // A file outside the tree holding a secret, reached by a link and by an include.
    await writeFile(path.join(base, 'secrets.env'), 'AWS_SECRET_ACCESS_KEY=hunter2-very-secret\n');
    await symlink(path.join(base, 'secrets.env'), path.join(root, 'escape/requirements.txt'));
    await writeFile(path.join(root, 'include/requirements.txt'), '-r ../../secrets.env\nnum2words==0.5.15\n');
    // A link that stays inside the tree is read.
    await symlink('../web/package-lock.json', path.join(root, 'inside/package-lock.json'));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('skips a FIFO, a device and an escaping link or include with one line each, and never echoes the secret', async () => {
    const report = await scanPaths({ paths: ['.'], cwd: root, lookup });
    expect(report.errors).toEqual([
      {
        file: 'fifo/yarn.lock',
        message: 'fifo/yarn.lock: skipped: a FIFO (named pipe), not a regular file',
      },
      {
        file: 'device/Pipfile.lock',
        message: 'device/Pipfile.lock: skipped: a symbolic link to a file outside the scanned tree',
      },
      {
        file: 'escape/requirements.txt',
        message: 'escape/requirements.txt: skipped: a symbolic link to a file outside the scanned tree',
      },
      { file: '../secrets.env', message: '../secrets.env: skipped: outside the scanned tree' },
    ]);
    expect(JSON.stringify(report)).not.toContain('hunter2');
    expect(report.findings.map((f) => f.file)).toEqual([
      'include/requirements.txt',
      'inside/package-lock.json',
      'web/package-lock.json',
    ]);
    // include/requirements.txt, inside/package-lock.json, web/package-lock.json.
    expect(report.scanned.files).toBe(3);
  });

  it('skips a FIFO named explicitly instead of waiting for a writer', async () => {
    const report = await scanPaths({ paths: ['fifo/yarn.lock'], cwd: root, lookup });
    expect(report.errors).toEqual([
      { file: 'fifo/yarn.lock', message: 'fifo/yarn.lock: skipped: a FIFO (named pipe), not a regular file' },
    ]);
    expect(report.scanned.files).toBe(0);
  });

  it('skips a device named explicitly (through a link) instead of reading it without end', async () => {
    const report = await scanPaths({ paths: ['device/Pipfile.lock'], cwd: root, lookup });
    expect(report.errors).toEqual([
      {
        file: 'device/Pipfile.lock',
        message: 'device/Pipfile.lock: skipped: a character device, not a regular file',
      },
    ]);
    expect(report.scanned.files).toBe(0);
  });
});
