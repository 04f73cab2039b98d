import path from 'node:path';
import { runCordon } from '../../harness/cli';

const ROOT = path.resolve(__dirname, '../../..');

// STYLE.md: a user error prints one clear line and exits 2, never a stack.
describe('cordon: how errors are rendered', () => {
  it('prints one line on stderr and exits 2 for bad usage', async () => {
    const r = await runCordon(['status'], ROOT, {});
    expect(r).toEqual({ code: 2, out: '', err: 'cordon status: usage: cordon status INCIDENT [--json]\n' });
  });

  it('prints one line on stderr and exits 2 for a bad configuration, before reaching Temporal', async () => {
    const r = await runCordon(['ack', 'incident-x', 'insurer-notice', '--as', 'ana'], ROOT, { LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^cordon ack: configuration: LOG_LEVEL: [^\n]+\n$/);
  });

  it('prints one line and exits 2 for an unknown command', async () => {
    expect(await runCordon(['frobnicate'], ROOT, {})).toEqual({
      code: 2,
      out: '',
      err: 'cordon: unknown command "frobnicate" (try cordon help)\n',
    });
  });
});
