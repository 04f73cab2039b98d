// `npx tsx scripts/web-ui-screenshot.ts UI_URL WORKFLOW_ID OUT.png [--expect TEXT] [--namespace NS]`: opens a workflow's
// history in the Temporal Web UI in headless Chromium, waits until the page shows TEXT (a field only a decoded payload
// holds), and saves a screenshot. Driven over the Chrome DevTools Protocol
// (https://chromedevtools.github.io/devtools-protocol/): Target.createTarget, Page.navigate, Runtime.evaluate,
// Page.captureScreenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { parseFlags } from '../client/args';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** What {@link screenshotWebUi} opens and waits for. */
export interface WebUiShot {
  /** The Web UI, e.g. `http://127.0.0.1:8233`. */
  uiUrl: string;
  workflowId: string;
  /** @default 'default' */
  namespace?: string;
  /** Text the page must show before the shot is taken (a decoded payload's field). */
  expect: string;
  /** PNG file written. */
  out: string;
  /** @default 60_000 */
  timeoutMs?: number;
}

/** One DevTools session over the browser's WebSocket: commands by id, answers matched back. */
class DevTools {
  private next = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id!);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }
  send<T>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((resolve, reject) =>
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }),
    );
  }
}

/** Starts headless Chromium with a throwaway profile; resolves with its DevTools WebSocket URL. */
async function launch(profile: string): Promise<{ child: ChildProcess; wsUrl: string }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium`);
  // --no-sandbox: the setuid sandbox is unavailable when running as root in a container; the page is our own UI.
  const child = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--window-size=1600,1000',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${err.slice(-500)}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chromium exited with ${code}: ${err.slice(-500)}`));
    });
  });
  return { child, wsUrl };
}

/** The run id the Web UI's route needs, from the UI's own HTTP API. */
async function latestRunId(uiUrl: string, namespace: string, workflowId: string): Promise<string> {
  const res = await fetch(`${uiUrl}/api/v1/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}`);
  if (!res.ok) throw new Error(`Web UI: ${workflowId}: HTTP ${res.status}`);
  const body = (await res.json()) as { workflowExecutionInfo?: { execution?: { runId?: string } } };
  const runId = body.workflowExecutionInfo?.execution?.runId;
  if (!runId) throw new Error(`Web UI: ${workflowId}: no run id`);
  return runId;
}

/**
 * Opens the workflow's history in the Web UI, waits until its text contains `expect`, and writes a PNG screenshot.
 * Resolves with the page's text at that moment. @throws Error with the page's text when `expect` never shows.
 */
export async function screenshotWebUi(shot: WebUiShot): Promise<{ text: string; url: string }> {
  const namespace = shot.namespace ?? 'default';
  const runId = await latestRunId(shot.uiUrl, namespace, shot.workflowId);
  const url = `${shot.uiUrl}/namespaces/${namespace}/workflows/${encodeURIComponent(shot.workflowId)}/${runId}/history`;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'cordon-chromium-'));
  const { child, wsUrl } = await launch(profile);
  const ws = new WebSocket(wsUrl);
  try {
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    const cdp = new DevTools(ws);
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    await cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Page.navigate', { url }, sessionId);
    const deadline = Date.now() + (shot.timeoutMs ?? 60_000);
    let text = '';
    // The UI renders the history, then replaces each payload with the codec server's answer: poll the page text.
    while (Date.now() < deadline) {
      const r = await cdp.send<{ result: { value?: string } }>(
        'Runtime.evaluate',
        { expression: 'document.body ? document.body.innerText : ""', returnByValue: true },
        sessionId,
      );
      text = r.result.value ?? '';
      if (text.includes(shot.expect)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (!text.includes(shot.expect))
      throw new Error(
        `Web UI never showed ${JSON.stringify(shot.expect)} at ${url}; page text:\n${text.slice(0, 2000)}`,
      );
    // Let the layout settle after the last decoded payload arrived.
    await new Promise((r) => setTimeout(r, 500));
    const png = await cdp.send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, sessionId);
    writeFileSync(shot.out, Buffer.from(png.data, 'base64'));
    return { text, url };
  } finally {
    ws.close();
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(profile, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { values, positionals } = parseFlags(
    process.argv.slice(2),
    { expect: { type: 'string' }, namespace: { type: 'string' } },
    true,
  );
  const [uiUrl, workflowId, out] = positionals;
  if (!uiUrl || !workflowId || !out) {
    process.stderr.write(
      'usage: npx tsx scripts/web-ui-screenshot.ts UI_URL WORKFLOW_ID OUT.png [--expect TEXT] [--namespace NS]\n',
    );
    process.exit(2);
  }
  screenshotWebUi({
    uiUrl,
    workflowId,
    out,
    expect: values.expect ?? '"initiator": "alice"',
    ...(values.namespace ? { namespace: values.namespace } : {}),
  }).then(
    ({ url }) => process.stderr.write(`web-ui-screenshot: ${url} -> ${out}\n`),
    (err: unknown) => {
      process.stderr.write(`web-ui-screenshot: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
