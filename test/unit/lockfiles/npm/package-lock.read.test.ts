import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parsePackageLock } from '../../../../lockfiles';

const fixture = path.resolve(__dirname, '../../../fixtures/lockfiles/incident-npm-v3/package-lock.json');

describe('parsePackageLock', () => {
  it('reads v3 packages with real names for aliases, lines of their keys, direct flags and dependency paths', () => {
    const text = readFileSync(fixture, 'utf8');
    const { packages, problems } = parsePackageLock('package-lock.json', text);
    expect(problems).toEqual([]);
    const axios = packages.filter((p) => p.name === 'axios');
    // Three installed copies: the aliased 1.14.1 and two nested 0.30.4 duplicates, each its own instance.
    expect(axios.map((p) => [p.version, p.direct, p.path])).toEqual([
      ['1.14.1', true, ['axios@1.14.1']],
      ['0.30.4', false, ['legacy-sdk@2.0.0', 'axios@0.30.4']],
      ['0.30.4', false, ['report-tool@3.1.0', 'axios@0.30.4']],
    ]);
    const lines = text.split('\n');
    for (const p of axios) expect(lines[(p.line ?? 0) - 1]).toMatch(/"node_modules\/.*(http-client|axios)": \{/);
    expect(packages.find((p) => p.name === 'plain-crypto-js')?.path).toEqual(['axios@1.14.1', 'plain-crypto-js@4.2.1']);
  });

  it('resolves dependencies of workspaces through links, making them direct', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { workspaces: ['packages/*'] },
        'node_modules/web': { resolved: 'packages/web', link: true },
        'packages/web': { name: 'web', dependencies: { chalk: '^5.6.0' } },
        'packages/web/node_modules/chalk': { version: '5.6.1' },
        'node_modules/chalk': { version: '4.1.2' },
      },
    };
    const { packages } = parsePackageLock('package-lock.json', JSON.stringify(lock, null, 2));
    expect(packages.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['chalk', '5.6.1', true],
      ['chalk', '4.1.2', false],
    ]);
  });

  it('reads v1 nested dependencies with aliases written as npm:name@version', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: {
        'string-width-cjs': { version: 'npm:string-width@4.2.3' },
        'postcss-calc': { version: '7.0.1', dependencies: { postcss: { version: '7.0.16' } } },
      },
    };
    const text = JSON.stringify(lock, null, 2);
    const { packages, problems } = parsePackageLock('package-lock.json', text);
    expect(problems).toEqual([]);
    expect(packages).toEqual([
      { ecosystem: 'npm', name: 'string-width', version: '4.2.3', line: 4 },
      { ecosystem: 'npm', name: 'postcss-calc', version: '7.0.1', line: 7 },
      { ecosystem: 'npm', name: 'postcss', version: '7.0.16', line: 10 },
    ]);
  });

  it('reports truncated JSON with the line and what was expected', () => {
    const text = readFileSync(fixture, 'utf8').slice(0, 400);
    const out = parsePackageLock('package-lock.json', text);
    expect(out.packages).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]?.line).toBe(text.split('\n').length);
    expect(out.problems[0]?.message).toMatch(/^not valid JSON at column \d+: expected .*found end of file$/);
  });

  it('refuses an unknown lockfileVersion', () => {
    expect(parsePackageLock('p', '{"lockfileVersion": 4, "packages": {}}').problems).toEqual([
      { message: 'unsupported lockfileVersion 4 (expected 1, 2 or 3)' },
    ]);
  });

  it('reports binary garbage as not JSON at line 1 without throwing', () => {
    const out = parsePackageLock('p', '\u001f\u008b\u0008\u0000garbage');
    expect(out.problems).toEqual([
      { line: 1, message: 'not valid JSON at column 1: expected a JSON value, found U+001F' },
    ]);
  });

  it('reports a malformed entry and keeps the others', () => {
    const text = JSON.stringify(
      { lockfileVersion: 2, packages: { 'node_modules/a': 'x', 'node_modules/b': { version: '1.0.0' } } },
      null,
      2,
    );
    const out = parsePackageLock('p', text);
    expect(out.packages.map((p) => p.name)).toEqual(['b']);
    expect(out.problems).toEqual([{ line: 4, message: '"packages" entry "node_modules/a" is not an object' }]);
  });
});
