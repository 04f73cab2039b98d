// Which tool cordon runs, where it is cached, how it is built once, and the one line said when a system tool is missing
// (devserver/tools.ts).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkCargo, ensureTool, findTool, MissingToolError, pinnedVersion, toolDir } from '../../../devserver/tools';
import { fileSha256 } from '../../../devserver/tool-cache';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'cordon-tools-'));

/** An executable shell script at `file`. */
function script(file: string, body: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An environment with nothing on PATH but `dirs`, and an empty cache. */
function bareEnv(...dirs: string[]): NodeJS.ProcessEnv {
  return { PATH: dirs.join(path.delimiter), HOME: tmp(), XDG_CACHE_HOME: tmp() };
}

describe('pinnedVersion', () => {
  it('reads the == pin of the tool itself, extras included, not of a sibling distribution', () => {
    const text = '# pins\npoetry-core==2.2.1\nmoto[server]==5.2.5\npoetry==2.5.1 ; python_version >= "3.9"\n';
    expect(pinnedVersion(text, 'moto')).toBe('5.2.5');
    expect(pinnedVersion(text, 'poetry')).toBe('2.5.1');
    expect(pinnedVersion(text, 'uv')).toBeUndefined();
  });
});

describe('toolDir', () => {
  it('keys the Temporal CLI by its version', () => {
    expect(toolDir('temporal', { XDG_CACHE_HOME: '/c' })).toBe('/c/cordon/tools/temporal-cli-1.5.1');
  });

  it('keys a venv by its version and the SHA-256 of its requirements file, so a changed pin rebuilds', () => {
    const sha = fileSha256(path.join(ROOT, 'test', 'moto-requirements.txt'));
    expect(toolDir('moto', { XDG_CACHE_HOME: '/c' })).toBe(`/c/cordon/tools/moto-5.2.5-${sha.slice(0, 16)}`);
  });
});

describe('findTool', () => {
  it('takes an explicit variable first', () => {
    const moto = script(path.join(tmp(), 'moto_server'), 'exit 0');
    expect(findTool('moto', { ...bareEnv(), MOTO_SERVER: moto })).toBe(moto);
  });

  it('refuses a $TEMPORAL_CLI that is not executable instead of building another CLI', () => {
    expect(() => findTool('temporal', { ...bareEnv(), TEMPORAL_CLI: '/nonexistent/temporal' })).toThrow(
      'TEMPORAL_CLI=/nonexistent/temporal is not an executable file',
    );
  });

  it('finds the cached Temporal CLI, else a temporal on PATH', () => {
    const bin = tmp();
    const onPath = script(path.join(bin, 'temporal'), 'exit 0');
    const env = bareEnv(bin);
    expect(findTool('temporal', env)).toBe(onPath);
    const cached = script(path.join(toolDir('temporal', env), 'temporal'), 'exit 0');
    expect(findTool('temporal', env)).toBe(cached);
  });

  it('does not take a venv whose build did not complete', () => {
    const env = bareEnv();
    script(path.join(toolDir('uv', env), 'bin', 'uv'), 'exit 0');
    expect(findTool('uv', env)).toBeUndefined();
    writeFileSync(path.join(toolDir('uv', env), '.complete'), 'done\n');
    expect(findTool('uv', env)).toBe(path.join(toolDir('uv', env), 'bin', 'uv'));
  });
});

describe('ensureTool', () => {
  it('fails with one line naming Go and where to get it when the Temporal CLI must be built without Go', async () => {
    const lines: string[] = [];
    const err = await ensureTool('temporal', { env: bareEnv(), log: (l) => lines.push(l) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as MissingToolError).code).toBe('E_TOOL_MISSING');
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(/Go is not on PATH to build it: install Go from https:\/\/go\.dev\/dl/);
    expect((err as Error).message).toContain('set TEMPORAL_CLI');
    // Nothing claimed to be building.
    expect(lines).toEqual([]);
  });

  it('fails with one line naming Python 3 when a venv must be built without python3', async () => {
    const err = await ensureTool('moto', { env: bareEnv() }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toMatch(
      /^moto 5\.2\.5 is not cached and python3 is not on PATH to install it: install Python 3 .*python3-venv.*MOTO_SERVER/,
    );
  });

  it('says when python3 cannot make a venv (Debian without python3-venv)', async () => {
    const bin = tmp();
    script(
      path.join(bin, 'python3'),
      'echo "The virtual environment was not created successfully because ensurepip is not available." >&2; exit 1',
    );
    const err = await ensureTool('poetry', { env: bareEnv(bin) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toMatch(/venv module is missing\): install Python 3 with its venv module/);
  });

  it('builds a venv once under the lock, with progress, and finds it afterwards without building', async () => {
    const bin = tmp();
    const count = path.join(bin, 'builds');
    // A python3 that makes a "venv" whose pip install drops the tool into bin/, counting venv creations.
    script(
      path.join(bin, 'python3'),
      [
        // Our PATH holds only this folder; the script's own commands come from the system.
        'PATH=/usr/bin:/bin',
        `if [ "$2" = venv ]; then echo x >> ${count}; mkdir -p "$4/bin"; cp "$0" "$4/bin/python"; exit 0; fi`,
        'd=$(dirname "$0"); printf "#!/bin/sh\\nexit 0\\n" > "$d/pipenv"; chmod +x "$d/pipenv"',
      ].join('\n'),
    );
    const env = bareEnv(bin);
    const lines: string[] = [];
    const log = (l: string): void => void lines.push(l);
    const [a, b] = await Promise.all([ensureTool('pipenv', { env, log }), ensureTool('pipenv', { env, log })]);
    const expected = path.join(toolDir('pipenv', env), 'bin', 'pipenv');
    expect([a, b]).toEqual([expected, expected]);
    expect(readFileSync(count, 'utf8')).toBe('x\n');
    expect(lines[0]).toMatch(
      /^cordon: building pipenv 2026\.10\.3 \(a Python venv from test\/pipenv-requirements\.txt\)/,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^cordon: built pipenv 2026\.10\.3 .* in \d+s$/));
    lines.length = 0;
    await expect(ensureTool('pipenv', { env, log })).resolves.toBe(expected);
    expect(lines).toEqual([]);
    expect(readFileSync(count, 'utf8')).toBe('x\n');
  });

  it('refuses an override that is not executable', async () => {
    await expect(ensureTool('uv', { env: { ...bareEnv(), UV: '/nonexistent/uv' } })).rejects.toThrow(
      'UV=/nonexistent/uv is not an executable file',
    );
  });
});

describe('checkCargo', () => {
  it('fails with one line saying to install Rust with rustup when cargo is nowhere', async () => {
    const err = await checkCargo(bareEnv()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toBe(
      'cargo is not on PATH (the Cargo pin tests run it): install Rust with rustup from https://rustup.rs (Cargo 1.78 or later)',
    );
  });

  it("finds rustup's ~/.cargo/bin/cargo off PATH, and refuses one older than 1.78", async () => {
    const env = bareEnv();
    const cargo = script(path.join(env.HOME!, '.cargo', 'bin', 'cargo'), 'echo "cargo 1.85.0 (d73d2caf9 2024-12-31)"');
    await expect(checkCargo(env)).resolves.toBe(cargo);
    script(cargo, 'echo "cargo 1.70.0 (ec8a8a0ca 2023-04-25)"');
    await expect(checkCargo(env)).rejects.toThrow(/is cargo 1\.70\.0 .*need 1\.78 or later/);
  });
});

describe('npm run -s provision', () => {
  // The command npm test runs first, in a subprocess whose PATH has node but neither go nor python3.
  it('exits 2 with one line on stderr when Go is missing', () => {
    const env = { ...bareEnv(path.dirname(process.execPath)) };
    const existing = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    expect(existsSync(existing)).toBe(true);
    const r = spawnSync(process.execPath, [existing, 'scripts/provision.ts', 'temporal'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^cordon: the Temporal CLI 1\.5\.1 is not cached and Go is not on PATH to build it: /),
    ]);
  });
});
