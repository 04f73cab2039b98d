import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parsePnpmLock } from '../../../../lockfiles';

const v9Fixture = path.resolve(__dirname, '../../../fixtures/lockfiles/incident-pnpm-v9/pnpm-lock.yaml');

describe('parsePnpmLock', () => {
  it('reads 9.0 packages, resolving aliases and peer-suffixed snapshot keys for paths', () => {
    const text = readFileSync(v9Fixture, 'utf8');
    const { packages, problems } = parsePnpmLock('pnpm-lock.yaml', text);
    expect(problems).toEqual([]);
    const byName = new Map(packages.map((p) => [p.name, p]));
    expect(byName.get('axios')).toMatchObject({ version: '1.14.1', direct: true, path: ['axios@1.14.1'] });
    expect(byName.get('easy-day-js')).toMatchObject({
      direct: false,
      path: ['@mastra/core@1.42.1', 'easy-day-js@1.11.22'],
    });
    const line = byName.get('@mastra/core')?.line ?? 0;
    expect(text.split('\n')[line - 1]).toBe("  '@mastra/core@1.42.1':");
  });

  it('reads 6.0 keys with parenthesized peers', () => {
    const text = [
      "lockfileVersion: '6.0'",
      'dependencies:',
      '  react-dom:',
      '    specifier: ^18.2.0',
      '    version: 18.2.0(react@18.2.0)',
      'packages:',
      '  /react-dom@18.2.0(react@18.2.0):',
      '    dependencies:',
      '      react: 18.2.0',
      '  /react@18.2.0:',
      '    dev: false',
    ].join('\n');
    expect(parsePnpmLock('p', text).packages).toEqual([
      { ecosystem: 'npm', name: 'react-dom', version: '18.2.0', line: 7, direct: true, path: ['react-dom@18.2.0'] },
      {
        ecosystem: 'npm',
        name: 'react',
        version: '18.2.0',
        line: 10,
        direct: false,
        path: ['react-dom@18.2.0', 'react@18.2.0'],
      },
    ]);
  });

  it('reads 5.x keys with underscore peer suffixes', () => {
    const text = [
      'lockfileVersion: 5.4',
      'dependencies:',
      '  acorn-jsx: 5.3.2_acorn@8.7.0',
      'packages:',
      '  /acorn-jsx/5.3.2_acorn@8.7.0:',
      '    dependencies:',
      '      acorn: 8.7.0',
      '  /acorn/8.7.0:',
      '    dev: false',
      '  /@types/node/20.1.0:',
      '    dev: true',
    ].join('\n');
    expect(parsePnpmLock('p', text).packages.map((p) => [p.name, p.version, p.line, p.direct])).toEqual([
      ['acorn-jsx', '5.3.2', 5, true],
      ['acorn', '8.7.0', 8, false],
      ['@types/node', '20.1.0', 10, false],
    ]);
  });

  it('reports invalid YAML with its line', () => {
    const out = parsePnpmLock('p', "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n");
    expect(out.packages).toEqual([]);
    expect(out.problems[0]?.line).toBe(4);
    expect(out.problems[0]?.message).toMatch(/^not valid YAML: /);
  });

  it('refuses lockfile versions it does not know', () => {
    expect(parsePnpmLock('p', "lockfileVersion: '3.0'\n").problems).toEqual([
      { message: 'unsupported lockfileVersion "3.0" (expected 5.x, 6.x or 9.0)' },
    ]);
  });
});

describe('parsePnpmLock on an empty file', () => {
  it('says the lockfileVersion is missing', () => {
    expect(parsePnpmLock('p', '').problems).toEqual([{ message: 'no lockfileVersion (expected 5.x, 6.x or 9.0)' }]);
  });
});
