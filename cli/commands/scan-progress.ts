import type { CliIO } from '../io';

/** Progress callback plus the function that clears the indicator when the scan is over. */
export interface ProgressIndicator {
  update: (done: number, total: number, file: string) => void;
  finish: () => void;
}

/**
 * A one-line progress indicator on stderr, only when stderr is a terminal (never in pipes, CI logs or tests that
 * capture output) and only once the scan has run for `delayMs`, so quick scans print nothing extra.
 */
export function progressIndicator(io: CliIO, delayMs = 500, now: () => number = Date.now): ProgressIndicator {
  const started = now();
  let shown = false;
  let lastDraw = 0;
  if (!io.stderr.isTTY) return { update: () => undefined, finish: () => undefined };
  return {
    update(done, total, file) {
      const t = now();
      if (t - started < delayMs || t - lastDraw < 100) return;
      lastDraw = t;
      shown = true;
      const text = `scanning ${done}/${total} ${file}`;
      io.stderr.write(`\r\x1b[K${text.length > 100 ? `${text.slice(0, 97)}...` : text}`);
    },
    finish() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}
