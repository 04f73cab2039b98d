import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One delivery that went out: keyed by the call's idempotency key, recipient and channel. */
export interface SentEntry {
  key: string;
  messageId: string;
  recipient: string;
  channel: string;
  to: string;
  sha256: string;
  at: string;
}

/**
 * An append-only JSON-lines record of packets delivered. A retried apply finds a delivery's key here and does not
 * send it twice; the file survives worker restarts. (A crash between the SMTP server accepting a message and this
 * line being written can still resend it once: with the same Message-ID, so mail clients show one message.)
 */
export class SentLedger {
  private readonly sent = new Map<string, SentEntry>();

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file))
      for (const line of readFileSync(file, 'utf8').split('\n'))
        if (line.trim()) {
          const e = JSON.parse(line) as SentEntry;
          this.sent.set(e.key, e);
        }
  }

  get(key: string): SentEntry | undefined {
    return this.sent.get(key);
  }

  record(entry: SentEntry): void {
    this.sent.set(entry.key, entry);
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }
}
