// The README's "Using it" walkthrough, run line by line as written: `cordon sandbox` and `cordon dev` (the real
// Temporal dev server with its Web UI) in the background, the env file sourced, then declare, status, approve, reject,
// list, the Web UI screenshot with decoded payloads (headless Chromium), and stand-down. Only what a second copy on a
// shared machine would collide on is changed: the state directory (`.cordon`), the ports (TEMPORAL_ADDRESS is set to
// a free one, as a user may), and the screenshot's output file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../devserver/dev-server';
import { CHROMIUM } from '../../scripts/web-ui-screenshot';
import { eventually } from '../harness/engine';

const ROOT = path.resolve(__dirname, '..', '..');

/** The command lines of the first `sh` block under "## Using it", comments dropped. */
function walkthroughLines(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using it\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean);
}

/** A free port whose + 1000 (the Web UI's) is free too. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p + 1000 > 65535) continue;
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer().once('error', () => resolve(false));
      srv.listen(p + 1000, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return p;
  }
}

interface Background {
  child: ChildProcess;
  out: () => string;
  err: () => string;
}

/** A shell running `line` in its own process group (so Ctrl-C reaches npm, tsx and cordon alike). */
function background(line: string, env: NodeJS.ProcessEnv): Background {
  const child = spawn('bash', ['-c', line], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return { child, out: () => out, err: () => err };
}

async function run(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  const b = background(line, env);
  const code = await new Promise<number>((resolve) => b.child.once('exit', (c) => resolve(c ?? 1)));
  return { code, out: b.out(), err: b.err() };
}

async function interrupt(b: Background | undefined): Promise<void> {
  if (!b || b.child.exitCode !== null || b.child.pid === undefined) return;
  const exited = new Promise<void>((r) => b.child.once('exit', () => r()));
  process.kill(-b.child.pid, 'SIGINT');
  const timer = setTimeout(() => b.child.pid !== undefined && process.kill(-b.child.pid, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Parses `NAME='value'` lines as `set -a && . FILE` would (values single-quoted by `cordon sandbox`). */
function sourceEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const m = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (!m) throw new Error(`${file}: not NAME='value': ${line}`);
    env[m[1]!] = m[2]!.replace(/'\\''/g, "'");
  }
  return env;
}

let sandbox: Background | undefined;
let dev: Background | undefined;
afterAll(async () => {
  await interrupt(dev);
  await interrupt(sandbox);
});

describe("README 'Using it' walkthrough", () => {
  it('runs as written against the sandbox organisation and cordon dev, and the Web UI decodes the history', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
    const lines = walkthroughLines();
    // What each line does, in order: the cordon command, or the first words of the others.
    const what = (l: string): string =>
      l.startsWith('npm run -s cordon -- ') ? l.split(' ')[5]! : l.split(' ').slice(0, 3).join(' ');
    expect(lines.map(what)).toEqual([
      'sandbox',
      'set -a &&',
      'dev',
      'declare',
      'status',
      'approve',
      'reject',
      'list',
      'npx tsx scripts/web-ui-screenshot.ts',
      'stand-down',
    ]);
    const stateDir = mkdtempSync(path.join(tmpdir(), 'cordon-walkthrough-'));
    const port = await freePortPair();
    const shot = path.join(stateDir, 'web-ui-decoded.png');
    // The user's shell: no test Temporal server, our state directory and ports.
    let env: NodeJS.ProcessEnv = { ...process.env, CORDON_STATE_DIR: stateDir, TEMPORAL_ADDRESS: `127.0.0.1:${port}` };
    const adapt = (line: string): string =>
      line
        .replace(' .cordon/', ` ${stateDir}/`)
        .replace('http://127.0.0.1:8233', `http://127.0.0.1:${port + 1000}`)
        .replace('docs/web-ui-decoded.png', shot);
    const [
      sandboxLine,
      sourceLine,
      devLine,
      declareLine,
      statusLine,
      approveLine,
      rejectLine,
      listLine,
      shotLine,
      downLine,
    ] = lines.map(adapt) as [string, string, string, string, string, string, string, string, string, string];

    // Shell 1: the sandbox organisation.
    expect(sandboxLine).toBe('npm run -s cordon -- sandbox');
    sandbox = background(sandboxLine, env);
    const s = sandbox;
    await eventually(async () => s.err().includes('ready'), 120_000, `cordon sandbox ready: ${s.err()}`);
    expect(s.out()).toContain("GITHUB_API_URL='http://127.0.0.1:");
    expect(s.out()).toContain('CORDON_APPROVER_GROUPS_FILE=');

    // Shells 2 and 3: source the env file it wrote.
    const envFile = /^set -a && \. (\S+) && set \+a$/.exec(sourceLine)?.[1];
    expect(envFile).toBe(path.join(stateDir, 'sandbox.env'));
    env = { ...env, ...sourceEnv(envFile!) };

    // Shell 2: cordon dev binds TEMPORAL_ADDRESS and gives its Web UI a codec server.
    dev = background(devLine, env);
    const d = dev;
    await eventually(async () => d.err().includes('Web UI at'), 120_000, `cordon dev started: ${d.err()}`);
    expect(d.err()).toContain(`Temporal at 127.0.0.1:${port}, Web UI at http://127.0.0.1:${port + 1000}`);
    expect(d.err()).toContain('the Web UI decodes payloads with the codec server at http://127.0.0.1:');

    // Shell 3: the incident.
    const declared = await run(declareLine, env);
    expect(declared).toMatchObject({ code: 0, out: expect.stringContaining('declared incident-practice') });
    const awaiting = await eventually(
      async () => {
        const r = await run(statusLine, env);
        return r.code === 0 && /awaiting-approval\s+contain\s+open-pin-prs/.test(r.out) && r.out;
      },
      120_000,
      'disable-workflows and open-pin-prs awaiting approval',
    );
    expect(awaiting).toMatch(/awaiting-approval\s+contain\s+disable-workflows\s+plan [0-9a-f]{12}: disable/);
    expect(await run(approveLine, env)).toMatchObject({
      code: 0,
      out: expect.stringContaining('approved disable-workflows'),
    });
    const rejected = await run(rejectLine, env);
    expect(rejected.code).toBe(0);
    expect(rejected.out).toContain('open-pin-prs');
    const listed = await run(listLine, env);
    expect(listed).toMatchObject({ code: 0, out: expect.stringContaining('incident-practice') });

    // The history is encrypted at rest (the UI's API returns it raw) and the Web UI shows it decoded.
    const raw = await fetch(
      `http://127.0.0.1:${port + 1000}/api/v1/namespaces/default/workflows/incident-practice/history?maximumPageSize=1`,
    ).then((r) => r.text());
    expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));
    expect(raw).not.toContain('alice');
    const shotRun = await run(shotLine, env);
    expect(shotRun).toMatchObject({ code: 0, err: expect.stringContaining('/workflows/incident-practice/') });
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');

    const down = await run(downLine, env);
    expect(down.code).toBe(0);
    await eventually(
      async () => (await run(statusLine, env)).out.includes('incident-practice  stood-down'),
      120_000,
      'the incident stood down',
    );
  }, 600_000);
});
