import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parseBunLock } from '../../../../lockfiles';

const fixture = path.resolve(__dirname, '../../../fixtures/lockfiles/incident-bun/bun.lock');

describe('parseBunLock', () => {
  it('reads JSONC with trailing commas, real names for aliases, nested copies, direct flags and paths', () => {
    const text = readFileSync(fixture, 'utf8');
    const { packages, problems } = parseBunLock('bun.lock', text);
    expect(problems).toEqual([]);
    expect(packages.filter((p) => p.name === 'axios').map((p) => [p.version, p.direct, p.path])).toEqual([
      ['1.14.1', true, ['axios@1.14.1']],
      ['0.30.4', false, ['legacy-sdk@2.0.0', 'axios@0.30.4']],
    ]);
    const mastra = packages.find((p) => p.name === '@mastra/core');
    expect(text.split('\n')[(mastra?.line ?? 0) - 1]).toMatch(/^\s+"@mastra\/core": \[/);
  });

  it('skips workspace and link entries', () => {
    const text = `{
      "lockfileVersion": 1,
      "workspaces": { "": { "name": "root", "dependencies": { "shared": "workspace:*" } } },
      "packages": {
        "shared": ["shared@workspace:packages/shared"],
        "lodash": ["lodash@4.17.21", "", {}, "sha512-x"],
      },
    }`;
    expect(parseBunLock('bun.lock', text).packages.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['lodash', '4.17.21', false],
    ]);
  });

  it('reports a syntax error at its line, comments and trailing commas aside', () => {
    const out = parseBunLock(
      'bun.lock',
      '{\n  // generated\n  "lockfileVersion": 1,\n  "packages": { "a": ["a@1.0.0" }\n}',
    );
    expect(out.problems).toEqual([
      { line: 4, message: "not valid JSONC at column 33: expected ',' or ']' after an array element, found '}'" },
    ]);
  });

  it('reports an entry that does not name a package', () => {
    const out = parseBunLock('bun.lock', '{"lockfileVersion": 1, "packages": {"a": [42]}}');
    expect(out.problems).toEqual([{ line: 1, message: '"packages" entry "a" does not start with "name@version"' }]);
  });
});
