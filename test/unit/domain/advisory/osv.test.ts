import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parseOsvJson } from '../../../../domain/advisory';

const osvDir = path.resolve(__dirname, '../../../../../shared/data/osv');
// ../shared is always there in CI; skip these only where it is absent.
const sharedDescribe = existsSync(osvDir) ? describe : describe.skip;

const record = (over: Record<string, unknown>): string =>
  JSON.stringify({
    id: 'MAL-TEST-1',
    modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: ['1.0.0'] }],
    ...over,
  });

describe('parseOsvJson', () => {
  it('keeps id, aliases, summary, versions and ranges', () => {
    const text = record({
      aliases: ['GHSA-aaaa-bbbb-cccc'],
      summary: 'Malicious code in x (npm)',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'x' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.2.0' }] }],
          versions: ['1.0.0'],
        },
      ],
    });
    expect(parseOsvJson('x.json', text)).toEqual({
      advisories: [
        {
          id: 'MAL-TEST-1',
          aliases: ['GHSA-aaaa-bbbb-cccc'],
          summary: 'Malicious code in x (npm)',
          source: 'x.json',
          affected: [
            {
              ecosystem: 'npm',
              name: 'x',
              versions: ['1.0.0'],
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.2.0' }] }],
            },
          ],
        },
      ],
      problems: [],
      withdrawn: [],
    });
  });

  it('skips withdrawn records and lists them (https://ossf.github.io/osv-schema/#withdrawn-field)', () => {
    const out = parseOsvJson('w.json', record({ withdrawn: '2026-02-01T00:00:00Z' }));
    expect(out.advisories).toEqual([]);
    expect(out.withdrawn).toEqual(['MAL-TEST-1']);
    expect(out.problems).toEqual([]);
  });

  it('names per-source records with an empty id after their file', () => {
    const out = parseOsvJson('osv/npm/nx/MAL-0000-src-94e2.json', record({ id: '' }));
    expect(out.advisories[0]?.id).toBe('MAL-0000-src-94e2');
  });

  it('names the JSON path of a schema violation', () => {
    const bad = record({
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'semver', events: [] }] }],
    });
    expect(parseOsvJson('bad.json', bad).problems).toEqual([
      {
        source: 'bad.json',
        message:
          'bad.json: not an OSV record: affected[0].ranges[0].type: expected one of "SEMVER"|"ECOSYSTEM"|"GIT" (and 1 more problem)',
      },
    ]);
    expect(parseOsvJson('bad.json', record({ affected: [{ versions: [1] }] })).problems[0]?.message).toBe(
      'bad.json: not an OSV record: affected[0].versions[0]: expected string, found number 1',
    );
    expect(parseOsvJson('bad.json', '{"affected": []}').problems[0]?.message).toBe(
      'bad.json: not an OSV record: id: missing (expected string)',
    );
  });

  it('rejects an event with two keys', () => {
    const bad = record({
      affected: [
        {
          package: { ecosystem: 'npm', name: 'x' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }],
        },
      ],
    });
    expect(parseOsvJson('e.json', bad).problems[0]?.message).toContain(
      'affected[0].ranges[0].events[0]: an event has exactly one of introduced, fixed, last_affected, limit',
    );
  });

  it('reports truncated JSON and binary garbage with line and column', () => {
    expect(parseOsvJson('t.json', '{"id": "X",\n "affected": [').problems[0]?.message).toBe(
      't.json:2:15: not JSON: expected a JSON value, found end of file',
    );
    expect(parseOsvJson('b.json', '\u0089PNG\r\n').problems[0]?.message).toBe(
      'b.json:1:1: not JSON: expected a JSON value, found U+0089',
    );
  });

  it('reads an array of records, naming a bad element by index', () => {
    const out = parseOsvJson('all.json', `[${record({})}, {"id": 3}]`);
    expect(out.advisories.map((a) => a.id)).toEqual(['MAL-TEST-1']);
    expect(out.problems[0]?.message).toBe('all.json: not an OSV record: [1].id: expected string, found number 3');
  });
});

sharedDescribe('parseOsvJson on the real incident records', () => {
  it('reads the Mastra record with its GHSA alias', () => {
    const file = path.join(osvDir, 'npm/@mastra/core/MAL-2026-6011.json');
    const out = parseOsvJson('MAL-2026-6011.json', readFileSync(file, 'utf8'));
    expect(out.problems).toEqual([]);
    expect(out.advisories[0]).toMatchObject({
      id: 'MAL-2026-6011',
      aliases: ['GHSA-pp62-grrw-hvfp'],
      affected: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'], ranges: [] }],
    });
  });

  it('reads the GitHub Actions record without error, though no lockfile can match it', () => {
    const file = path.join(osvDir, 'github-actions/tj-actions/changed-files/GHSA-mrrh-fwg8-r2c3.json');
    const out = parseOsvJson('GHSA-mrrh-fwg8-r2c3.json', readFileSync(file, 'utf8'));
    expect(out.problems).toEqual([]);
    expect(out.advisories[0]?.affected[0]?.ecosystem).toBe('GitHub Actions');
  });
});
