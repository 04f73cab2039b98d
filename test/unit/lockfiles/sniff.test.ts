// Every osv-scalibr fixture is named as a test file (one-package.v2.json, one-package.lock…), not as its tool names
// it: content sniffing must tell each format by what only that tool writes.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { sniffLockfileFormat, type LockfileFormat } from '../../../lockfiles';

const FIXTURES = path.resolve(__dirname, '../../../../shared/data/lockfiles/osv-scalibr');
const BY_FOLDER: Record<string, LockfileFormat> = {
  'javascript/packagelockjson': 'package-lock',
  'javascript/pnpmlock': 'pnpm-lock',
  'javascript/yarnlock': 'yarn-lock',
  'python/poetrylock': 'poetry-lock',
  'python/requirements': 'requirements-txt',
  'rust/cargolock': 'cargo-lock',
};

const describeShared = existsSync(FIXTURES) ? describe : describe.skip;

describeShared('sniffLockfileFormat on the osv-scalibr fixtures (../shared)', () => {
  const cases = Object.entries(BY_FOLDER).flatMap(([folder, format]) =>
    readdirSync(path.join(FIXTURES, folder, 'testdata')).map((f) => [`${folder}/${f}`, format] as const),
  );
  it.each(cases)('%s is %s', (file, format) => {
    const text = readFileSync(path.join(FIXTURES, file.replace(/\/([^/]+)$/, '/testdata/$1')), 'utf8');
    expect(sniffLockfileFormat(file, text)).toBe(file.endsWith('not-json.txt') ? undefined : format);
  });
});

describe('sniffLockfileFormat', () => {
  it('tells bun.lock, Pipfile.lock and uv.lock apart from their neighbours', () => {
    expect(sniffLockfileFormat('x', '{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {}\n  }\n}')).toBe(
      'bun-lock',
    );
    expect(sniffLockfileFormat('x', '{"_meta": {"hash": {}}, "default": {}}')).toBe('pipfile-lock');
    expect(sniffLockfileFormat('x', 'version = 1\nrequires-python = ">=3.12"\n\n[[package]]\nname = "a"\n')).toBe(
      'uv-lock',
    );
  });

  it('guesses nothing for text that no tool writes', () => {
    expect(sniffLockfileFormat('notes.md', '# notes\nnot a lockfile\n')).toBeUndefined();
    expect(sniffLockfileFormat('data.json', '{"hello": "world"}')).toBeUndefined();
    expect(sniffLockfileFormat('x.toml', '[[package]]\nname = "a"\n')).toBeUndefined();
    expect(sniffLockfileFormat('notes.txt', 'Dear team, the build is broken.\n')).toBeUndefined();
  });
});
