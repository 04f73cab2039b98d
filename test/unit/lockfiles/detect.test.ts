import { detectLockfileFormat } from '../../../lockfiles';

describe('detectLockfileFormat', () => {
  it.each([
    ['app/package-lock.json', 'package-lock'],
    ['npm-shrinkwrap.json', 'package-lock'],
    ['yarn.lock', 'yarn-lock'],
    ['a/b/pnpm-lock.yaml', 'pnpm-lock'],
    ['bun.lock', 'bun-lock'],
    ['requirements.txt', 'requirements-txt'],
    ['requirements-dev.txt', 'requirements-txt'],
    ['dev-requirements.txt', 'requirements-txt'],
    ['requirements/base.txt', 'requirements-txt'],
    ['poetry.lock', 'poetry-lock'],
    ['uv.lock', 'uv-lock'],
    ['Pipfile.lock', 'pipfile-lock'],
    ['Cargo.lock', 'cargo-lock'],
  ])('%s is %s', (file, format) => {
    expect(detectLockfileFormat(file)).toBe(format);
  });

  it.each(['package.json', 'bun.lockb', 'notes.txt', 'Cargo.toml', 'yarn.lock.bak'])('%s is not a lockfile', (file) => {
    expect(detectLockfileFormat(file)).toBeUndefined();
  });
});
