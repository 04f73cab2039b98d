import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parseIocCsv, type Advisory } from '../../../../domain/advisory';

const iocDir = path.resolve(__dirname, '../../../../../shared/data/ioc');

function pairs(advisory: Advisory | undefined): string[] {
  return (advisory?.affected ?? []).flatMap((a) => a.versions.map((v) => `${a.ecosystem}:${a.name}@${v}`)).sort();
}

describe('parseIocCsv', () => {
  it('reads the wiz shape with "= a || = b" version expressions', () => {
    const out = parseIocCsv('wiz.csv', 'Package,Version\n02-echo,= 0.0.7\n@alexcolls/nuxt-ux,= 0.6.1 || = 0.6.2\n');
    expect(out.problems).toEqual([]);
    expect(pairs(out.advisories[0])).toEqual([
      'npm:02-echo@0.0.7',
      'npm:@alexcolls/nuxt-ux@0.6.1',
      'npm:@alexcolls/nuxt-ux@0.6.2',
    ]);
    expect(out.advisories[0]?.id).toBe('wiz.csv');
  });

  it('reads the DataDog consolidated shape with comma-joined versions in a quoted field', () => {
    const text =
      'package_name,package_versions,sources\n@dev-blinq/cucumber_client,"1.0.739, 1.0.1637-dev","koi, wiz"\n';
    expect(pairs(parseIocCsv('c.csv', text).advisories[0])).toEqual([
      'npm:@dev-blinq/cucumber_client@1.0.1637-dev',
      'npm:@dev-blinq/cucumber_client@1.0.739',
    ]);
  });

  it('reads the DataDog one-per-row shape, grouping versions by package', () => {
    const out = parseIocCsv('o.csv', 'package_name,package_version\nx,1.0.0\nx,1.0.1\n');
    expect(out.advisories[0]?.affected).toEqual([
      { ecosystem: 'npm', name: 'x', versions: ['1.0.0', '1.0.1'], ranges: [] },
    ]);
  });

  it('takes only package rows from typed indicator lists', () => {
    const text =
      'type,indicator,context\ndomain,sfrclak[.]com,C2\nnpm package,axios@1.14.1,Compromised\nnpm package,@s/p@1.0.0,x\n';
    expect(pairs(parseIocCsv('i.csv', text).advisories[0])).toEqual(['npm:@s/p@1.0.0', 'npm:axios@1.14.1']);
  });

  it('refuses an unknown header, naming the shapes it knows', () => {
    const out = parseIocCsv('u.csv', 'name,ver\nx,1\n');
    expect(out.advisories).toEqual([]);
    expect(out.problems[0]?.message).toMatch(
      /^u\.csv:1: unrecognized IOC CSV header "name,ver" \(expected one of Package,Version/,
    );
  });

  it('reports bad rows once, with the first bad line and a count, and keeps the good rows', () => {
    const text = 'Package,Version\ngood,= 1.0.0\nbad,>= 1.0.0\nshort\nalso-good,= 2.0.0\n';
    const out = parseIocCsv('r.csv', text);
    expect(pairs(out.advisories[0])).toEqual(['npm:also-good@2.0.0', 'npm:good@1.0.0']);
    expect(out.problems).toEqual([
      {
        source: 'r.csv',
        message:
          'r.csv:3: ">= 1.0.0" is not a list of exact versions (expected "= 1.2.3 || = 1.2.4") (and 1 more bad row)',
      },
    ]);
  });

  it('reports malformed CSV with its line', () => {
    expect(parseIocCsv('m.csv', 'package_name,package_version\n"x,1.0.0\n').problems[0]?.message).toBe(
      "m.csv:2: not CSV: a quoted field is never closed (expected '\"')",
    );
  });

  (existsSync(iocDir) ? it : it.skip)(
    'gives the same package versions for the same Shai-Hulud data in all three shapes',
    () => {
      const read = (rel: string): string[] => {
        const out = parseIocCsv(rel, readFileSync(path.join(iocDir, rel), 'utf8'));
        expect(out.problems).toEqual([]);
        return pairs(out.advisories[0]);
      };
      const wiz = read('wiz-research-iocs/shai-hulud-2-packages.csv');
      const consolidated = read('datadog-indicators-of-compromise/shai-hulud-2.0/consolidated_iocs.csv');
      const perRow = read('datadog-indicators-of-compromise/shai-hulud-2.0/shai-hulud-2.0.csv');
      expect(wiz).toHaveLength(1089);
      // DataDog's consolidated list is wiz's plus two versions other vendors reported (README of the data set).
      expect(consolidated.filter((p) => !wiz.includes(p))).toEqual([
        'npm:@dev-blinq/cucumber_client@1.0.1637-dev',
        'npm:@dev-blinq/cucumber_client@1.0.739',
      ]);
      expect(wiz.filter((p) => !consolidated.includes(p))).toEqual([]);
      // DataDog's own confirmed list is a subset of both.
      expect(perRow).toHaveLength(537);
      expect(perRow.filter((p) => !wiz.includes(p))).toEqual([]);
    },
  );
});
