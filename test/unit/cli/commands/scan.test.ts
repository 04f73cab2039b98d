import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';

import type { Finding } from '../../../../scan';
import type { CliIO } from '../../../../cli/io';
import { scanCommand } from '../../../../cli/commands/scan';

const repo = path.resolve(__dirname, '../../../..');
const shared = path.resolve(repo, '../shared');
const fixtures = 'test/fixtures/lockfiles';
const mastra = path.join(shared, 'data/osv/npm/@mastra/core/MAL-2026-6011.json');
const axios = path.join(shared, 'data/osv/npm/axios/MAL-2026-2307.json');
const ioc = path.join(shared, 'data/ioc');

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], cwd = repo): Promise<Run> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = { stdout, stderr, cwd, env: {} };
  const code = await scanCommand(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface Report {
  findings: Finding[];
  scanned: { files: number; packages: number };
  errors: { file: string; message: string }[];
}

function json(out: Run): Report {
  return JSON.parse(out.stdout) as Report;
}

const brief = (f: Finding): string => `${f.package}@${f.version} ${f.advisory}${f.direct ? ' direct' : ''}`;

describe('cordon scan (in-process)', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'cordon-cli-'));
    await writeFile(
      path.join(tmp, 'good.json'),
      JSON.stringify({
        id: 'MAL-T',
        affected: [{ package: { ecosystem: 'npm', name: 'axios' }, versions: ['1.14.1'] }],
      }),
    );
    await writeFile(path.join(tmp, 'bad.json'), '{"id": "MAL-BAD", "affected": [{"package": {"ecosystem": "npm"}}]}');
    await writeFile(path.join(tmp, 'bad.csv'), 'what,ever\n1,2\n');
    await writeFile(path.join(tmp, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {');
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints one JSON object with findings, scanned counts and errors, and exits 1 on findings', async () => {
    const out = await run([
      `${fixtures}/incident-npm-v3`,
      '--advisory',
      path.join(tmp, 'good.json'),
      '--format',
      'json',
    ]);
    expect(out.code).toBe(1);
    const report = json(out);
    expect(Object.keys(report)).toEqual(['findings', 'scanned', 'errors']);
    expect(report.scanned).toEqual({ files: 1, packages: 9 });
    expect(report.errors).toEqual([]);
    expect(report.findings).toEqual([
      {
        file: `${fixtures}/incident-npm-v3/package-lock.json`,
        ecosystem: 'npm',
        package: 'axios',
        version: '1.14.1',
        advisory: 'MAL-T',
        kind: 'installed',
        line: 36,
        direct: true,
        path: ['axios@1.14.1'],
      },
    ]);
  });

  it('exits 0 with an empty findings list when nothing is affected', async () => {
    const out = await run([`${fixtures}/incident-bun`, '--package', 'npm:axios@9.9.9', '--format', 'json']);
    expect(out.code).toBe(0);
    expect(json(out)).toEqual({ findings: [], scanned: { files: 1, packages: 7 }, errors: [] });
  });

  it('scans the working directory when no PATH is given', async () => {
    const out = await run(
      ['--package', 'npm:plain-crypto-js@4.2.1', '--format', 'json'],
      path.join(repo, fixtures, 'incident-pnpm-v9'),
    );
    expect(json(out).findings.map((f) => [f.file, f.package])).toEqual([['pnpm-lock.yaml', 'plain-crypto-js']]);
  });

  it.each([
    [['.'], /^cordon scan: no advisory given: pass --advisory FILE\|DIR or --package ECO:name@version\n$/],
    [
      ['--advisory', 'does/not/exist'],
      /^cordon scan: cannot read advisory path does\/not\/exist: no such file or directory\n$/,
    ],
    [['--bogus'], /^cordon scan: Unknown option '--bogus' \(usage: /],
    [['--advisory'], /^cordon scan: Option '--advisory <value>' argument missing/],
    [['--package', 'npm:axios@1.0.0', '--format', 'xml'], /^cordon scan: --format must be json or table, not "xml"\n$/],
    [['--package', 'axios'], /^cordon scan: --package "axios": expected ECOSYSTEM:name@version/],
    [
      ['no/such/dir', '--package', 'npm:axios@1.0.0'],
      /^cordon scan: cannot read no\/such\/dir: no such file or directory\n$/,
    ],
  ])('exits 2 with one line on stderr for bad input %j', async (args, message) => {
    const out = await run(args);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe('');
  });

  it('exits 2 when no advisory at all could be loaded, after naming each bad file', async () => {
    const out = await run(
      ['.', '--advisory', path.join(tmp, 'bad.json'), '--advisory', path.join(tmp, 'bad.csv')],
      tmp,
    );
    expect(out.code).toBe(2);
    expect(out.stderr.split('\n')).toEqual([
      'cordon scan: bad.json: not an OSV record: affected[0].package.name: missing (expected string)',
      'cordon scan: bad.csv:1: unrecognized IOC CSV header "what,ever" (expected one of Package,Version | package_name,package_versions | package_name,package_version | type,indicator)',
      'cordon scan: no advisory could be loaded (see the errors above); nothing to scan for',
      '',
    ]);
  });

  it('loads the good advisories next to a malformed one and reports the bad one in errors and on stderr', async () => {
    const out = await run(
      [
        path.join(repo, fixtures, 'incident-bun'),
        '--advisory',
        'good.json',
        '--advisory',
        'bad.json',
        '--format',
        'json',
      ],
      tmp,
    );
    expect(out.code).toBe(1);
    const report = json(out);
    expect(report.findings.map(brief)).toEqual(['axios@1.14.1 MAL-T direct']);
    expect(report.errors).toEqual([
      { file: 'bad.json', message: 'bad.json: not an OSV record: affected[0].package.name: missing (expected string)' },
    ]);
    expect(out.stderr).toContain('bad.json: not an OSV record');
  });

  it('reports a malformed lockfile as an error entry, not bad input', async () => {
    const out = await run(['.', '--advisory', 'good.json', '--format', 'json'], tmp);
    // Nothing found in a lockfile that could not be read is not clean: exit 2, not 0.
    expect(out.code).toBe(2);
    expect(json(out).errors).toEqual([
      {
        file: 'package-lock.json',
        message: expect.stringMatching(
          /^package-lock\.json:1: not valid JSON at column \d+: expected .*found end of file$/,
        ) as unknown,
      },
    ]);
  });

  it('prints a table by default, with a summary line', async () => {
    const out = await run([`${fixtures}/incident-yarn-berry`, '--advisory', mastra]);
    expect(out.code).toBe(1);
    expect(out.stdout.split('\n')).toEqual([
      'FILE                                                     ECOSYSTEM  PACKAGE       VERSION  ADVISORY       KIND',
      `${fixtures}/incident-yarn-berry/yarn.lock:8  npm        @mastra/core  1.42.1   MAL-2026-6011  direct`,
      '',
      '1 finding (scanned 1 lockfile, 7 packages)',
      '',
    ]);
    expect(out.stderr).toBe('');
  });
});

// The real incidents: OSV records copied from ossf/malicious-packages (../shared/data/osv) and the published IOC lists.
(existsSync(shared) ? describe : describe.skip)('cordon scan on real incident data', () => {
  it.each([
    [
      'incident-npm-v3',
      [
        '@mastra/core@1.42.1 MAL-2026-6011 direct',
        'axios@1.14.1 MAL-2026-2307 direct',
        'axios@0.30.4 MAL-2026-2307',
        'axios@0.30.4 MAL-2026-2307',
      ],
    ],
    ['incident-pnpm-v9', ['@mastra/core@1.42.1 MAL-2026-6011 direct', 'axios@1.14.1 MAL-2026-2307 direct']],
    [
      'incident-yarn-berry',
      ['@mastra/core@1.42.1 MAL-2026-6011 direct', 'axios@0.30.4 MAL-2026-2307', 'axios@1.14.1 MAL-2026-2307 direct'],
    ],
    [
      'incident-bun',
      ['@mastra/core@1.42.1 MAL-2026-6011 direct', 'axios@1.14.1 MAL-2026-2307 direct', 'axios@0.30.4 MAL-2026-2307'],
    ],
  ])('finds the Mastra and axios compromises in %s (axios aliased as http-client)', async (dir, expected) => {
    const out = await run([`${fixtures}/${dir}`, '--advisory', mastra, '--advisory', axios, '--format', 'json']);
    expect(out.code).toBe(1);
    expect(json(out).findings.map(brief)).toEqual(expected);
  });

  it('finds the droppers through a directory of OSV records, with the path that pulled them in', async () => {
    const out = await run([
      `${fixtures}/incident-npm-v3`,
      '--advisory',
      path.join(shared, 'data/osv'),
      '--format',
      'json',
    ]);
    const droppers = json(out).findings.filter((f) => f.package === 'easy-day-js' || f.package === 'plain-crypto-js');
    expect(droppers.map((f) => [f.package, f.advisory, f.path])).toEqual([
      ['easy-day-js', 'MAL-2026-5979', ['@mastra/core@1.42.1', 'easy-day-js@1.11.22']],
      ['plain-crypto-js', 'MAL-2026-2306', ['axios@1.14.1', 'plain-crypto-js@4.2.1']],
    ]);
  });

  it('finds the same Shai-Hulud packages with each of the three IOC list shapes', async () => {
    const lists = [
      'wiz-research-iocs/shai-hulud-2-packages.csv',
      'datadog-indicators-of-compromise/shai-hulud-2.0/consolidated_iocs.csv',
      'datadog-indicators-of-compromise/shai-hulud-2.0/shai-hulud-2.0.csv',
    ];
    const found = await Promise.all(
      lists.map(async (list) => {
        const out = await run([
          `${fixtures}/shai-hulud-yarn-v1`,
          '--advisory',
          path.join(ioc, list),
          '--format',
          'json',
        ]);
        expect(out.code).toBe(1);
        return json(out).findings.map((f) => `${f.package}@${f.version}:${f.line}`);
      }),
    );
    expect(found[0]).toEqual([
      '02-echo@0.0.7:5',
      '@ensdomains/address-encoder@1.1.5:9',
      '@zapier/zapier-sdk@0.15.6:13',
      'posthog-node@5.11.3:23',
    ]);
    expect(found[1]).toEqual(found[0]);
    expect(found[2]).toEqual(found[0]);
  });

  it('reads the axios typed-indicator list', async () => {
    const list = path.join(ioc, 'datadog-indicators-of-compromise/axios-npm-supply-chain-compromise/iocs.csv');
    const out = await run([`${fixtures}/incident-pnpm-v9`, '--advisory', list, '--format', 'json']);
    expect(json(out).findings.map((f) => `${f.package}@${f.version}`)).toEqual([
      'axios@1.14.1',
      'plain-crypto-js@4.2.1',
    ]);
  });
});

describe('cordon scan as a real process', () => {
  const exec = promisify(execFile);
  const cordon = async (args: string[]): Promise<Run> => {
    try {
      const { stdout, stderr } = await exec(
        process.execPath,
        ['node_modules/tsx/dist/cli.mjs', 'cli/main.ts', 'scan', ...args],
        { cwd: repo },
      );
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('exits 1 with the JSON report when it finds something, 0 when not, 2 on bad input', async () => {
    const [found, clean, bad] = await Promise.all([
      cordon([`${fixtures}/incident-npm-v3`, '--package', 'npm:@mastra/core@1.42.1', '--format', 'json']),
      cordon([`${fixtures}/incident-npm-v3`, '--package', 'npm:@mastra/core@1.42.0', '--format', 'json']),
      cordon([`${fixtures}/incident-npm-v3`, '--format', 'json']),
    ]);
    expect(found.code).toBe(1);
    expect(JSON.parse(found.stdout)).toMatchObject({
      findings: [
        {
          file: `${fixtures}/incident-npm-v3/package-lock.json`,
          ecosystem: 'npm',
          package: '@mastra/core',
          version: '1.42.1',
          advisory: 'npm:@mastra/core@1.42.1',
        },
      ],
      scanned: { files: 1, packages: 9 },
      errors: [],
    });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({ findings: [], scanned: { files: 1, packages: 9 }, errors: [] });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cordon scan: no advisory given/);
    expect(bad.stdout).toBe('');
  });
});
