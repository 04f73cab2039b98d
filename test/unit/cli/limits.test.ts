// The CLI refuses oversized free text before it connects anywhere: no Temporal server is needed to hear it.
import path from 'node:path';
import { runCordon } from '../../harness/cli';

const ROOT = path.resolve(__dirname, '../../..');
// Nothing listens here: a command that got as far as connecting would fail with "cannot reach Temporal" instead.
const ENV = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

function expectOneLine(r: { code: number; err: string; out: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err.split('\n')).toEqual([expect.stringMatching(pattern), '']);
  expect(r.out).toBe('');
}

describe('free-text flags have sizes', () => {
  const mb = 'x'.repeat(1_000_000);

  it.each([
    [
      'reject --reason',
      ['reject', 'incident-x', 'contain', '--reason', mb],
      /^cordon reject: --reason: reason is 1000000 bytes; the limit is 4096 bytes$/,
    ],
    [
      'stand-down --reason=',
      ['stand-down', 'incident-x', `--reason=${mb}`],
      /^cordon stand-down: --reason: reason is 1000000 bytes; the limit is 4096 bytes$/,
    ],
    [
      'fact --note',
      ['fact', 'incident-x', 'personal-data-exposed', '--note', mb],
      /^cordon fact: --note: note is 1000000 bytes; the limit is 4096 bytes$/,
    ],
    [
      'ack --reference',
      ['ack', 'incident-x', 'insurer-notice', '--reference', 'r'.repeat(201)],
      /^cordon ack: --reference: reference is 201 characters; the limit is 200 characters$/,
    ],
    [
      'declare --title',
      ['declare', '--org', 'acme', '--title', 't'.repeat(300)],
      /^cordon declare: --title: title is 300 characters; the limit is 200 characters$/,
    ],
  ])('refuses an oversized %s before connecting', async (_flag, args, pattern) => {
    expectOneLine(await runCordon(args as string[], ROOT, ENV), pattern as RegExp);
  });

  it('lets text at the limit through to the command', async () => {
    const r = await runCordon(['stand-down', 'incident-x', '--reason', 'x'.repeat(4096)], ROOT, ENV);
    expect(r.err).toMatch(/cannot reach Temporal/);
  });
});
