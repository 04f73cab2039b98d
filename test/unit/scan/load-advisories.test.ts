import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadAdvisories } from '../../../scan';

const osv = (id: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name: id.toLowerCase() }, versions: ['1.0.0'] }],
    ...extra,
  });

describe('loadAdvisories', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cordon-adv-'));
    const files: Record<string, string> = {
      'osv/npm/a/MAL-A.json': osv('MAL-A', { aliases: ['GHSA-a'] }),
      'osv/npm/b/MAL-B.json': osv('MAL-B', { withdrawn: '2026-02-01T00:00:00Z' }),
      'osv/npm/c/bad.json': '{"id": "MAL-C", "affected": [',
      'osv/npm/a/copy/MAL-A.json': osv('MAL-A'),
      'osv/notes.txt': 'not an advisory',
      'osv/node_modules/x/MAL-X.json': osv('MAL-X'),
      'ioc/list.csv': 'package_name,package_version\nevil,1.0.0\n',
      'ioc/odd': 'type,indicator,context\nnpm package,axios@1.14.1,x\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFile(path.join(root, rel), text);
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads OSV trees and IOC lists, skipping withdrawn records, duplicates and node_modules', async () => {
    const out = await loadAdvisories(['osv', 'ioc/list.csv', 'ioc/odd'], root);
    expect(out.advisories.map((a) => [a.id, a.aliases])).toEqual([
      ['MAL-A', ['GHSA-a']],
      ['ioc/list.csv', []],
      ['ioc/odd', []],
    ]);
    expect(out.withdrawn).toEqual(['MAL-B']);
    expect(out.unreadable).toEqual([]);
  });

  it('reports a malformed file by name and loads the others', async () => {
    const out = await loadAdvisories(['osv'], root);
    expect(out.problems).toEqual([
      {
        source: 'osv/npm/c/bad.json',
        message: 'osv/npm/c/bad.json:1:30: not JSON: expected a JSON value, found end of file',
      },
    ]);
  });

  it('lists paths that cannot be read apart from bad content', async () => {
    const out = await loadAdvisories(['missing-dir'], root);
    expect(out.unreadable).toEqual([
      { source: 'missing-dir', message: 'cannot read advisory path missing-dir: no such file or directory' },
    ]);
  });
});
