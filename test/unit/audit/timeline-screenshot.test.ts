// The HTML timeline of a stood-down incident as a browser shows it: headless Chromium renders the page from the
// stored stood-down history to a PNG of the window's size, and its DOM (after rendering) lists the table's rows in
// the history's event order. https://developer.chrome.com/docs/chromium/headless
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import { historyFacts } from '../../../audit/history-facts';
import { decodeEvents, historyEvents } from '../../../audit/history-json';
import { approvalsLedger } from '../../../audit/ledger';
import { timelineEntries, timelineHtml } from '../../../audit/timeline';

const CHROMIUM = '/usr/bin/chromium';
const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'histories', 'stood-down-c3a065f.json');
const [WIDTH, HEIGHT] = [1400, 1000];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cordon-timeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs headless Chromium on a page with its own profile; stdout is what `--dump-dom` prints. */
function chromium(args: string[]): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install chromium`);
  const flags = [
    '--headless=new',
    '--disable-gpu',
    `--user-data-dir=${path.join(dir, 'profile')}`,
    `--window-size=${WIDTH},${HEIGHT}`,
    // Chromium refuses to run as root with its sandbox (CI containers): the page is our own file.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
  return new Promise((resolve, reject) =>
    execFile(CHROMIUM, [...flags, ...args], { timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** A PNG's size (IHDR) and its pixel data inflated (IDAT chunks). https://www.w3.org/TR/png/#5Chunk-layout */
function readPng(png: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('HTML timeline of a stood-down incident in Chromium', () => {
  let page: string;
  let expected: { eventId: number; at: string; kind: string }[];

  beforeAll(async () => {
    const raw = historyEvents(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    const facts = historyFacts((await decodeEvents(raw, undefined)).events);
    const state = facts.finalState!;
    expect(state.status).toBe('stood-down');
    const entries = timelineEntries(state, facts, approvalsLedger(facts, state));
    expected = entries.map((e) => ({ eventId: e.eventId, at: e.at, kind: e.kind }));
    // Each row's time is its history event's time, and the rows follow the history's event order.
    const timeOf = new Map(raw.map((e) => [Number(e.eventId), e.eventTime]));
    for (const e of expected) expect(e.at).toBe(timeOf.get(e.eventId));
    page = path.join(dir, 'timeline.html');
    writeFileSync(page, timelineHtml(state, entries));
  });

  it('renders to a non-empty PNG of the window size', async () => {
    const shot = path.join(dir, 'timeline.png');
    await chromium([`--screenshot=${shot}`, pathToFileURL(page).href]);
    const png = readPng(readFileSync(shot));
    expect([png.width, png.height]).toEqual([WIDTH, HEIGHT]);
    // Something is drawn: a blank page inflates to a handful of distinct byte values.
    expect(new Set(png.pixels).size).toBeGreaterThan(16);
  });

  it('lists the table rows in the history order, the stand-down before the undo it caused', async () => {
    const dom = await chromium(['--dump-dom', pathToFileURL(page).href]);
    const rows = [
      ...dom.matchAll(/<tr data-event="(\d+)"><td>\d+<\/td><td>([^<]*)<\/td><td>[^<]*<\/td><td>([^<]*)</g),
    ].map((m) => ({ eventId: Number(m[1]), at: m[2]!, kind: m[3]! }));
    expect(rows).toEqual(expected);
    const ids = rows.map((r) => r.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const kinds = rows.map((r) => r.kind);
    expect(kinds.indexOf('stand-down')).toBeGreaterThan(kinds.indexOf('step-succeeded'));
    expect(kinds.indexOf('step-compensated')).toBeGreaterThan(kinds.indexOf('stand-down'));
    expect(kinds.at(-1)).toBe('closed');
  });
});
