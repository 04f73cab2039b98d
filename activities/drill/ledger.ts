import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One change a drill action made (or undid), keyed for idempotency. */
export interface LedgerEntry {
  key: string;
  action: string;
  op: 'apply' | 'undo';
  item: unknown;
  at: string;
}

/**
 * An append-only JSON-lines file of what drill actions changed. A retried or replayed activity finds its key
 * already there and changes nothing twice; a new worker process re-reads the file, so this holds across crashes.
 */
export class DrillLedger {
  private readonly keys = new Set<string>();

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim()) this.keys.add((JSON.parse(line) as LedgerEntry).key);
      }
    }
  }

  /** Records the entry unless its key is already there; returns whether it was new. */
  record(entry: Omit<LedgerEntry, 'at'>): boolean {
    if (this.keys.has(entry.key)) return false;
    this.keys.add(entry.key);
    appendFileSync(this.file, `${JSON.stringify({ ...entry, at: new Date().toISOString() })}\n`);
    return true;
  }

  /** Every entry in the file (tests and the demo read it back). */
  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LedgerEntry);
  }
}
