// What the poetry.lock, uv.lock and Pipfile.lock pins have in common, run once per tool and checked by the tool
// itself: every starting lock is one the tool wrote from the sandbox index, and every pin must install with it.
// Each format's own behaviour (byte-for-byte layouts, uv's size and upload-time, pipenv's dropper helper) is tested
// in its own file.
import { pinPipfileLock } from '../../../../lockfiles/pypi/pipfile-lock.pin';
import { pinPoetryLockfile } from '../../../../lockfiles/pypi/poetry-lock.pin';
import { pinUvLockfile } from '../../../../lockfiles/pypi/uv-lock.pin';
import { PinInputError, type LockPinOptions, type LockPinResult } from '../../../../lockfiles/pin-types';
import type { PyPiRegistry } from '../../../../lockfiles/registries';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { startPyPiSandbox, type PyPiSandbox } from '../../../../sandbox/pypi';
import { ensurePipenv, pipenvLock, readByPipenv } from '../../../harness/pipenv';
import { ensurePoetry, poetryLock, readByPoetry } from '../../../harness/poetry';
import { ensureUv, readByUv, uvLock } from '../../../harness/uv';
import {
  affectedBy,
  BEFORE_016,
  FASTJSONX,
  POETRY_TAIL,
  pyproject,
  tomlEntry,
  WINDOW,
  wheelHash,
} from './pypi-fixtures';

/** How a tool reads back a lock: the first failing step's status, its output, and what the venv holds. */
type ReadBack = { status: number | null; output: string; installed: Record<string, string> };

/** One Python lock tool as the shared cases drive it. */
interface PythonLockTool {
  tool: 'poetry' | 'uv' | 'pipenv';
  ensure(): Promise<unknown>;
  pin(options: LockPinOptions & { registry: PyPiRegistry }): Promise<LockPinResult>;
  lock(manifest: string, index: string): Promise<string>;
  read(files: { manifest: string; lock: string }, index: string): Promise<ReadBack>;
  /** The version the lock holds of a package, as the tool wrote it. */
  locked(lock: string, name: string): string | undefined;
  /** A manifest asking for num2words 0.5.13 or later. */
  wantsNum2words: string;
  /** A manifest whose own constraint excludes num2words 0.5.14, and the problem the pin reports for it. */
  excludesGood: { manifest: string; problem: string };
}

const tomlVersion = (lock: string, name: string) => /\nversion = "([^"]*)"/.exec(tomlEntry(lock, name) ?? '')?.[1];

const POETRY: PythonLockTool = {
  tool: 'poetry',
  ensure: ensurePoetry,
  pin: pinPoetryLockfile,
  lock: poetryLock,
  read: ({ manifest, lock }, index) => readByPoetry({ pyproject: manifest, lock }, index),
  locked: tomlVersion,
  wantsNum2words: pyproject(['num2words (>=0.5.13)'], POETRY_TAIL),
  excludesGood: {
    manifest: [
      '[tool.poetry]',
      'package-mode = false',
      '',
      '[tool.poetry.dependencies]',
      'python = ">=3.9"',
      'num2words = "^0.5.15"',
      '',
    ].join('\n'),
    problem: 'pyproject.toml requires num2words ^0.5.15, which excludes 0.5.14: change it and run `poetry lock`',
  },
};

const UV: PythonLockTool = {
  tool: 'uv',
  ensure: ensureUv,
  pin: pinUvLockfile,
  lock: uvLock,
  read: ({ manifest, lock }, index) => readByUv({ pyproject: manifest, lock }, index),
  locked: tomlVersion,
  wantsNum2words: pyproject(['num2words>=0.5.13']),
  excludesGood: {
    manifest: pyproject(['num2words>=0.5.15']),
    problem: 'pyproject.toml requires num2words >=0.5.15, which excludes 0.5.14: change it and run `uv lock`',
  },
};

const pipfile = (packages: string) => `[packages]\n${packages}\n\n[requires]\npython_version = "3.11"\n`;

const PIPENV: PythonLockTool = {
  tool: 'pipenv',
  ensure: ensurePipenv,
  pin: pinPipfileLock,
  lock: pipenvLock,
  read: ({ manifest, lock }, index) => readByPipenv({ pipfile: manifest, lock }, index),
  locked: (lock, name) =>
    (JSON.parse(lock) as { default: Record<string, { version?: string }> }).default[name]?.version?.replace(/^==/, ''),
  wantsNum2words: pipfile('num2words = ">=0.5.13"'),
  excludesGood: {
    manifest: pipfile('num2words = "==0.5.15"'),
    problem: 'Pipfile requires num2words ==0.5.15, which excludes 0.5.14: change it and run `pipenv lock`',
  },
};

// Each tool creates a virtualenv and installs into it for each check: seconds each.
jest.setTimeout(180_000);

describe.each([POETRY, UV, PIPENV])('$tool lock pin', (t) => {
  let index: PyPiSandbox;

  beforeAll(async () => {
    // Installs the tool once into .tools/ (or uses its env var); a failure here fails every test with its reason.
    await t.ensure();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
  });

  it('leaves the lock alone when the manifest’s own constraint excludes the good release', async () => {
    const { manifest, problem } = t.excludesGood;
    const before = await t.lock(manifest, index.url);
    expect(t.locked(before, 'num2words')).toBe('0.5.15');
    const pinned = await t.pin({
      lockText: before,
      manifestText: manifest,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.lockText).toBe(before);
    expect(pinned.changes).toEqual([]);
    expect(pinned.problems).toEqual([problem]);
  });
});

/** What differs between Poetry and uv in the cases they share beyond the one above. */
interface TomlLockTool extends PythonLockTool {
  /** A pyproject.toml with these requirements, written in the tool's usual dialect (`name (>=1)` or `name>=1`). */
  manifest(requirements: Array<[string, string]>): string;
  /** The lock with a lock version the pinner does not know, and what it says about it. */
  unknownVersion(lock: string): { lock: string; problem: string };
  /** Package entries of the pinned dropper lock (uv lists the project itself). */
  dropperNames: string[];
  /** What the tool says when an entry a locked package needs is missing. */
  missingDependency: RegExp;
  /** Checks of the pinned dropper lock only this format can make. */
  dropperChecks(pinned: string, before: string): void;
  /** Checks of the lock without the added idna entry only this format can make. */
  missingChecks(missing: string): void;
}

const POETRY_TOML: TomlLockTool = {
  ...POETRY,
  manifest: (reqs) =>
    pyproject(
      reqs.map(([n, s]) => `${n} (${s})`),
      POETRY_TAIL,
    ),
  unknownVersion: (lock) => ({
    lock: lock.replace('lock-version = "2.1"', 'lock-version = "1.1"'),
    problem:
      'poetry.lock has lock-version 1.1, which cordon does not rewrite: run `poetry lock` with Poetry 1.3 or later, then pin again',
  }),
  dropperNames: ['attrs', 'colorama', 'fastjsonx', 'idna', 'six'],
  // Poetry installs the rest without a word; pip check, run after it, refuses.
  missingDependency: /fastjsonx 2\.1\.0 requires idna, which is not installed/,
  dropperChecks: () => {},
  // poetry.lock names a dependency only in its own entry (`[package.dependencies]` writes `idna = ">=3.0"`).
  missingChecks: (missing) => expect(missing).not.toContain('name = "idna"'),
};

const UV_TOML: TomlLockTool = {
  ...UV,
  manifest: (reqs) => pyproject(reqs.map(([n, s]) => `${n}${s}`)),
  unknownVersion: (lock) => ({
    lock: lock.replace(/^version = 1$/m, 'version = 2'),
    problem: 'uv.lock has version 2, which cordon does not rewrite: run `uv lock` with uv 0.4 or later, then pin again',
  }),
  dropperNames: ['attrs', 'billing', 'colorama', 'fastjsonx', 'idna', 'six'],
  // uv refuses the lock itself.
  missingDependency: /Dependency `idna`/,
  dropperChecks: (pinned, before) => {
    expect(pinned).not.toContain('py-exfil');
    // The project's own entry is as uv wrote it.
    expect(tomlEntry(pinned, 'billing')).toBe(tomlEntry(before, 'billing'));
  },
  missingChecks: () => {},
};

describe.each([POETRY_TOML, UV_TOML])('$tool lock pin (TOML locks)', (t) => {
  let index: PyPiSandbox;
  let extra: PyPiSandbox;

  beforeAll(async () => {
    await t.ensure();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
    extra = await startPyPiSandbox({ projects: FASTJSONX });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
    await extra?.stop();
  });

  it('skips a good release uploaded inside the window', async () => {
    const project = t.wantsNum2words;
    const before = await t.lock(project, index.url);
    const pinned = await t.pin({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      // 0.5.14 (December 2024) is after this: 0.5.13 is the last release known good.
      publishedBefore: '2024-01-01T00:00:00Z',
    });
    expect(pinned.changes.map((c) => c.to)).toEqual(['0.5.13']);
    expect(pinned.lockText).toContain(wheelHash('num2words', '0.5.13', ['docopt>=0.6.2']));
    const read = await t.read({ manifest: project, lock: pinned.lockText }, index.url);
    expect(read.status).toBe(0);
    expect(read.installed.num2words).toBe('0.5.13');
  });

  it('removes the dropper only the bad release needed, adds what the good one needs, as the tool writes them', async () => {
    const project = t.manifest([
      ['attrs', '>=23'],
      ['fastjsonx', '>=2.1'],
    ]);
    const before = await t.lock(project, extra.url);
    expect(tomlEntry(before, 'fastjsonx')).toContain('version = "2.1.1"');
    expect(tomlEntry(before, 'py-exfil')).toBeDefined();
    // As the tool locked it, the dropper installs: the lock as it was is consistent.
    const asWas = await t.read({ manifest: project, lock: before }, extra.url);
    expect(asWas.status).toBe(0);
    expect(asWas.installed['py-exfil']).toBe('0.1.0');

    const pinned = await t.pin({
      lockText: before,
      manifestText: project,
      affected: affectedBy([
        { ecosystem: 'PyPI', name: 'fastjsonx', versions: ['2.1.1'], ranges: [] },
        { ecosystem: 'PyPI', name: 'py-exfil', versions: ['0.1.0'], ranges: [] },
      ]),
      registry: createPyPiRegistry({ url: extra.url }),
      publishedBefore: '2026-06-17T04:00:00Z',
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.changes.map(({ package: p, from, to }) => ({ p, from, to }))).toEqual([
      { p: 'fastjsonx', from: '2.1.1', to: '2.1.0' },
      { p: 'py-exfil', from: '0.1.0', to: null },
    ]);
    expect(pinned.removed).toEqual(['py-exfil@0.1.0']);
    // idna 3.8 came out inside the window: the addition takes 3.7.
    expect(pinned.added).toEqual(['colorama@0.4.6', 'idna@3.7']);
    expect(tomlEntry(pinned.lockText, 'py-exfil')).toBeUndefined();
    const names = [...pinned.lockText.matchAll(/^\[\[package\]\]\nname = "([^"]+)"/gm)].map((m) => m[1]);
    expect(names).toEqual(t.dropperNames);

    // The rewritten and added entries read as the tool writes them when it locks the good release itself.
    const byTool = await t.lock(
      t.manifest([
        ['attrs', '>=23'],
        ['fastjsonx', '==2.1.0'],
        ['idna', '==3.7'],
      ]),
      extra.url,
    );
    for (const name of ['fastjsonx', 'colorama', 'idna', 'six', 'attrs'])
      expect(tomlEntry(pinned.lockText, name)).toBe(tomlEntry(byTool, name));
    t.dropperChecks(pinned.lockText, before);

    const read = await t.read({ manifest: project, lock: pinned.lockText }, extra.url);
    expect(read.status).toBe(0);
    expect(read.installed).toMatchObject({ attrs: '23.2.0', fastjsonx: '2.1.0', idna: '3.7', six: '1.16.0' });
    expect(read.installed['py-exfil']).toBeUndefined();

    // Without the added idna entry the lock does not install: the additions are what it needs.
    const missing = pinned.lockText.replace(`${tomlEntry(pinned.lockText, 'idna')}\n`, '');
    expect(tomlEntry(missing, 'idna')).toBeUndefined();
    t.missingChecks(missing);
    const refused = await t.read({ manifest: project, lock: missing }, extra.url);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(t.missingDependency);
  });

  it('says which line of a malformed lock is wrong, and leaves a lock version it does not know as it is', async () => {
    const project = t.wantsNum2words;
    const before = await t.lock(project, index.url);
    const lines = before.split('\n');
    const at = lines.findIndex((l) => l.startsWith('version = "0.5.15"'));
    lines[at] = 'version = "0.5.15';
    const options = { affected: affectedBy(), registry: createPyPiRegistry({ url: index.url }), manifestText: project };
    const broken = t.pin({ ...options, lockText: lines.join('\n') });
    await expect(broken).rejects.toBeInstanceOf(PinInputError);
    await expect(broken).rejects.toThrow(new RegExp(`^the lockfile is not valid TOML: line ${at + 1}: `));

    const unknown = t.unknownVersion(before);
    expect(unknown.lock).not.toBe(before);
    const pinned = await t.pin({ ...options, lockText: unknown.lock });
    expect(pinned.lockText).toBe(unknown.lock);
    expect(pinned.problems).toEqual([unknown.problem]);
  });
});
