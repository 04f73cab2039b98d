import { Writable } from 'node:stream';

import { progressIndicator } from '../../../../cli/commands/scan-progress';
import type { CliIO } from '../../../../cli/io';

function io(isTTY: boolean): { io: CliIO; written: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY },
  );
  return { io: { stdout: stream, stderr: stream, cwd: '/', env: {} }, written: () => text };
}

describe('progressIndicator', () => {
  it('draws nothing for a quick scan, then a one-line counter on a terminal, and clears it at the end', () => {
    let now = 0;
    const { io: tty, written } = io(true);
    const progress = progressIndicator(tty, 500, () => now);
    progress.update(1, 10, 'a/yarn.lock');
    expect(written()).toBe('');
    now = 600;
    progress.update(2, 10, 'b/yarn.lock');
    now = 650;
    progress.update(3, 10, 'c/yarn.lock');
    progress.finish();
    expect(written()).toBe('\r\x1b[Kscanning 2/10 b/yarn.lock\r\x1b[K');
  });

  it('never writes when stderr is not a terminal', () => {
    let now = 0;
    const { io: pipe, written } = io(false);
    const progress = progressIndicator(pipe, 0, () => now);
    now = 10_000;
    progress.update(1, 1, 'x');
    progress.finish();
    expect(written()).toBe('');
  });
});
