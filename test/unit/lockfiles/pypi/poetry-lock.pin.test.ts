// The poetry.lock pin, checked by Poetry itself: every starting lock is one Poetry wrote from the sandbox index, and
// every pin must pass `poetry check --lock` and `poetry sync --no-root`, which downloads the wheels and refuses a
// file whose sha256 the lock does not list.
import { pinPoetryLockfile } from '../../../../lockfiles/pypi/poetry-lock.pin';
import { PinInputError } from '../../../../lockfiles/pin-types';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { projectsWithout, startPyPiSandbox, type PyPiSandbox, type SandboxProject } from '../../../../sandbox/pypi';
import { ensurePoetry, poetryLock, readByPoetry } from '../../../harness/poetry';
import { affectedBy, FASTJSONX, WINDOW, wheelHash } from './pypi-fixtures';

const sha = wheelHash;

/** The seeded index the day 0.5.15 was out and 0.5.16 not yet: a fresh `poetry lock` takes the bad 0.5.15. */
const BEFORE_016: SandboxProject[] = projectsWithout('num2words', '0.5.16');

const pyproject = (dependencies: string[]) =>
  [
    '[project]',
    'name = "billing"',
    'version = "0.1.0"',
    'requires-python = ">=3.9"',
    `dependencies = [${dependencies.map((d) => JSON.stringify(d)).join(', ')}]`,
    '',
    '[tool.poetry]',
    'package-mode = false',
    '',
  ].join('\n');

/** One `[[package]]` entry of a lock, by name, as text. */
const entry = (lock: string, name: string) =>
  lock.split(/\n(?=\[\[package\]\]|\[metadata\])/).find((b) => b.startsWith(`[[package]]\nname = "${name}"\n`));

describe('pinPoetryLockfile', () => {
  let index: PyPiSandbox;
  let extra: PyPiSandbox;

  beforeAll(async () => {
    // Finds Poetry in the tool cache, installing it there if npm test did not already (or uses $POETRY); a failure
    // here fails every test with its reason.
    await ensurePoetry();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
    extra = await startPyPiSandbox({ projects: FASTJSONX });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
    await extra?.stop();
  });

  it('moves num2words 0.5.15 to 0.5.14 as Poetry would lock it, and Poetry installs 0.5.14 from it', async () => {
    const project = pyproject(['num2words (>=0.5.13)']);
    const before = await poetryLock(project, index.url);
    expect(before).toContain('name = "num2words"\nversion = "0.5.15"');
    expect(before).toMatch(/lock-version = "2.1"/);

    const pinned = await pinPoetryLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.changes).toEqual([
      {
        package: 'num2words',
        from: '0.5.15',
        to: '0.5.14',
        paths: [expect.stringMatching(/^poetry.lock \[\[package\]\] num2words/)],
      },
    ]);
    expect(pinned.manifestText).toBe(project);
    // Byte for byte what Poetry writes when it locks 0.5.14 itself, but for the content-hash of that other pyproject.
    const byPoetry = await poetryLock(pyproject(['num2words (>=0.5.13,<0.5.15)']), index.url);
    const withoutHash = (lock: string) => lock.replace(/^content-hash = .*$/m, '');
    expect(withoutHash(pinned.lockText)).toBe(withoutHash(byPoetry));
    const good = sha('num2words', '0.5.14', ['docopt>=0.6.2']);
    const bad = sha('num2words', '0.5.15', ['docopt>=0.6.2']);
    // Every other byte stays as Poetry wrote it, content-hash included.
    expect(pinned.lockText).toBe(
      before
        .replace('version = "0.5.15"', 'version = "0.5.14"')
        .replace(
          `{file = "num2words-0.5.15-py3-none-any.whl", hash = "${bad}"}`,
          `{file = "num2words-0.5.14-py3-none-any.whl", hash = "${good}"}`,
        ),
    );

    const poetry = await readByPoetry({ pyproject: project, lock: pinned.lockText }, index.url);
    expect(poetry.output).toMatch(/All set!/);
    expect(poetry.status).toBe(0);
    expect(poetry.installed).toMatchObject({ num2words: '0.5.14', docopt: '0.6.2' });

    // The same pin with the bad release's digest left in: Poetry refuses the download, so the check above can fail.
    const stale = pinned.lockText.replace(good, bad);
    expect(stale).not.toBe(pinned.lockText);
    const refused = await readByPoetry({ pyproject: project, lock: stale }, index.url);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/did not match any known checksums/);
    expect(refused.installed.num2words).toBeUndefined();
  });

  it('skips a good release uploaded inside the window', async () => {
    const project = pyproject(['num2words (>=0.5.13)']);
    const before = await poetryLock(project, index.url);
    const pinned = await pinPoetryLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      // 0.5.14 (December 2024) is after this: 0.5.13 is the last release known good.
      publishedBefore: '2024-01-01T00:00:00Z',
    });
    expect(pinned.changes.map((c) => c.to)).toEqual(['0.5.13']);
    expect(pinned.lockText).toContain(sha('num2words', '0.5.13', ['docopt>=0.6.2']));
    const poetry = await readByPoetry({ pyproject: project, lock: pinned.lockText }, index.url);
    expect(poetry.status).toBe(0);
    expect(poetry.installed.num2words).toBe('0.5.13');
  });

  it('leaves the lock alone when pyproject.toml’s constraint excludes the good release', async () => {
    const project = [
      '[tool.poetry]',
      'package-mode = false',
      '',
      '[tool.poetry.dependencies]',
      'python = ">=3.9"',
      'num2words = "^0.5.15"',
      '',
    ].join('\n');
    const before = await poetryLock(project, index.url);
    expect(before).toContain('version = "0.5.15"');
    const pinned = await pinPoetryLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.lockText).toBe(before);
    expect(pinned.changes).toEqual([]);
    expect(pinned.problems).toEqual([
      'pyproject.toml requires num2words ^0.5.15, which excludes 0.5.14: change it and run `poetry lock`',
    ]);
  });

  it('removes the dropper only the bad release needed, adds what the good one needs, as Poetry writes them', async () => {
    const project = pyproject(['attrs (>=23)', 'fastjsonx (>=2.1)']);
    const before = await poetryLock(project, extra.url);
    expect(entry(before, 'fastjsonx')).toContain('version = "2.1.1"');
    expect(entry(before, 'py-exfil')).toBeDefined();
    // As Poetry locked it, the dropper installs: the lock as it was is consistent.
    const asWas = await readByPoetry({ pyproject: project, lock: before }, extra.url);
    expect(asWas.status).toBe(0);
    expect(asWas.installed['py-exfil']).toBe('0.1.0');

    const pinned = await pinPoetryLockfile({
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
    expect(entry(pinned.lockText, 'py-exfil')).toBeUndefined();
    const names = [...pinned.lockText.matchAll(/^\[\[package\]\]\nname = "([^"]+)"/gm)].map((m) => m[1]);
    expect(names).toEqual(['attrs', 'colorama', 'fastjsonx', 'idna', 'six']);

    // The rewritten and added entries read as Poetry writes them when it locks the good release itself.
    const byPoetry = await poetryLock(pyproject(['attrs (>=23)', 'fastjsonx (==2.1.0)', 'idna (==3.7)']), extra.url);
    for (const name of ['fastjsonx', 'colorama', 'idna', 'six', 'attrs'])
      expect(entry(pinned.lockText, name)).toBe(entry(byPoetry, name));

    const poetry = await readByPoetry({ pyproject: project, lock: pinned.lockText }, extra.url);
    expect(poetry.status).toBe(0);
    expect(poetry.installed).toMatchObject({ attrs: '23.2.0', fastjsonx: '2.1.0', idna: '3.7', six: '1.16.0' });
    expect(poetry.installed['py-exfil']).toBeUndefined();

    // Without the added idna entry Poetry installs the rest without a word; pip check, run after it, refuses.
    const missing = pinned.lockText.replace(`${entry(pinned.lockText, 'idna')}\n`, '');
    expect(missing).not.toContain('name = "idna"');
    const refused = await readByPoetry({ pyproject: project, lock: missing }, extra.url);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/fastjsonx 2\.1\.0 requires idna, which is not installed/);
  });

  it('says which line of a malformed lock is wrong, and leaves a lock-version it does not know as it is', async () => {
    const project = pyproject(['num2words (>=0.5.13)']);
    const before = await poetryLock(project, index.url);
    const lines = before.split('\n');
    const at = lines.findIndex((l) => l.startsWith('version = "0.5.15"'));
    lines[at] = 'version = "0.5.15';
    const options = { affected: affectedBy(), registry: createPyPiRegistry({ url: index.url }), manifestText: project };
    const broken = pinPoetryLockfile({ ...options, lockText: lines.join('\n') });
    await expect(broken).rejects.toBeInstanceOf(PinInputError);
    await expect(broken).rejects.toThrow(new RegExp(`^the lockfile is not valid TOML: line ${at + 1}: `));

    const old = before.replace('lock-version = "2.1"', 'lock-version = "1.1"');
    const pinned = await pinPoetryLockfile({ ...options, lockText: old });
    expect(pinned.lockText).toBe(old);
    expect(pinned.problems).toEqual([
      'poetry.lock has lock-version 1.1, which cordon does not rewrite: run `poetry lock` with Poetry 1.3 or later, then pin again',
    ]);
  });
});
