// The poetry.lock pin, checked by Poetry itself: every starting lock is one Poetry wrote from the sandbox index, and
// every pin must pass `poetry check --lock` and `poetry sync --no-root`, which downloads the wheels and refuses a
// file whose sha256 the lock does not list.
import { pinPoetryLockfile } from '../../../../lockfiles/pypi/poetry-lock.pin';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { startPyPiSandbox, type PyPiSandbox } from '../../../../sandbox/pypi';
import { ensurePoetry, poetryLock, readByPoetry } from '../../../harness/poetry';
import { affectedBy, BEFORE_016, POETRY_TAIL, pyproject as project, WINDOW, wheelHash } from './pypi-fixtures';

const sha = wheelHash;

/** A Poetry project's pyproject.toml with these dependencies. */
const pyproject = (dependencies: string[]) => project(dependencies, POETRY_TAIL);

describe('pinPoetryLockfile', () => {
  let index: PyPiSandbox;

  beforeAll(async () => {
    // Finds Poetry in the tool cache, installing it there if npm test did not already (or uses $POETRY); a failure
    // here fails every test with its reason.
    await ensurePoetry();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
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
});
