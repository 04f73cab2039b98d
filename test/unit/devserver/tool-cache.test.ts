// The tool cache's location, its lock and the progress of a long build (devserver/tool-cache.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileSha256, startProgress, toolsCacheRoot, withLock } from '../../../devserver/tool-cache';

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'cordon-tool-cache-'));

describe('toolsCacheRoot', () => {
  // XDG base directories: $XDG_CACHE_HOME, or $HOME/.cache when it is unset or empty.
  it('is $XDG_CACHE_HOME/cordon/tools when set', () => {
    expect(toolsCacheRoot({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' })).toBe('/x/cache/cordon/tools');
  });

  it('falls back to $HOME/.cache/cordon/tools when XDG_CACHE_HOME is unset or empty', () => {
    expect(toolsCacheRoot({ HOME: '/home/a' })).toBe('/home/a/.cache/cordon/tools');
    expect(toolsCacheRoot({ XDG_CACHE_HOME: '', HOME: '/home/a' })).toBe('/home/a/.cache/cordon/tools');
  });
});

describe('fileSha256', () => {
  it('is the SHA-256 of the file bytes, so any changed pin gives another key', () => {
    const file = path.join(tmp(), 'requirements.txt');
    writeFileSync(file, 'moto[server]==5.2.5\n');
    const before = fileSha256(file);
    expect(before).toBe(createHash('sha256').update('moto[server]==5.2.5\n').digest('hex'));
    writeFileSync(file, 'moto[server]==5.2.6\n');
    expect(fileSha256(file)).not.toBe(before);
  });
});

describe('withLock', () => {
  it('runs a second holder only after the first released, and tells it once who it waits for', async () => {
    const lock = path.join(tmp(), 'tool.lock');
    const events: string[] = [];
    const lines: string[] = [];
    let release: () => void = () => {};
    const first = withLock(lock, async () => {
      events.push('first:start');
      await new Promise<void>((r) => (release = r));
      events.push('first:end');
      return 1;
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = withLock(
      lock,
      async () => {
        events.push('second:start');
        return 2;
      },
      { pollMs: 10, what: 'moto 5.2.5', log: (l) => lines.push(l) },
    );
    await new Promise((r) => setTimeout(r, 60));
    expect(events).toEqual(['first:start']);
    release();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(events).toEqual(['first:start', 'first:end', 'second:start']);
    expect(lines).toEqual([`cordon: waiting for process ${process.pid} to finish building moto 5.2.5`]);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose recorded holder is dead', async () => {
    const lock = path.join(tmp(), 'tool.lock');
    writeFileSync(lock, '999999\n');
    const result = await withLock(lock, async () => readFileSync(lock, 'utf8'), {
      pollMs: 10,
      isAlive: (pid) => pid !== 999999,
    });
    expect(result).toBe(`${process.pid}\n`);
  });

  it('releases the lock when the build fails', async () => {
    const lock = path.join(tmp(), 'tool.lock');
    await expect(
      withLock(lock, async () => {
        throw new Error('pip failed');
      }),
    ).rejects.toThrow('pip failed');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('startProgress', () => {
  afterEach(() => jest.useRealTimers());

  it('says what it builds, then the elapsed seconds every interval, then how long it took', () => {
    jest.useFakeTimers();
    let now = 1_000_000;
    const lines: string[] = [];
    const progress = startProgress('the Temporal CLI 1.5.1', (l) => lines.push(l), {
      intervalMs: 30_000,
      now: () => now,
    });
    now += 30_000;
    jest.advanceTimersByTime(30_000);
    now += 30_000;
    jest.advanceTimersByTime(30_000);
    now += 12_400;
    expect(progress.done()).toBe(72);
    jest.advanceTimersByTime(60_000);
    expect(lines).toEqual([
      'cordon: building the Temporal CLI 1.5.1',
      'cordon: still building the Temporal CLI 1.5.1 (30s elapsed)',
      'cordon: still building the Temporal CLI 1.5.1 (60s elapsed)',
      'cordon: built the Temporal CLI 1.5.1 in 72s',
    ]);
  });

  it('closes with a failure line when the build failed', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = startProgress('uv 0.13.9', (l) => lines.push(l), { now: () => now });
    now = 5_000;
    progress.done(false);
    expect(lines).toEqual(['cordon: building uv 0.13.9', 'cordon: building uv 0.13.9 failed after 5s']);
  });
});
