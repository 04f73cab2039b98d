import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { AesGcmPayloadCodec } from '../codec/codec';
import { keyFingerprint, type AuditSigner } from '../config/audit';
import type { CodecConfig } from '../config/codec';
import { ErrorCode, UserError } from '../config/errors';
import { statusQuery, type IncidentState } from '../workflows/definitions';
import { incidentHandle } from '../client/incidents';
import { historyFacts } from './history-facts';
import { attributesOf, decodeEvents, historyEvents, type JsonEvent } from './history-json';
import { approvalsLedger } from './ledger';
import { MANIFEST_FILE, sha256Hex, signManifest, type Manifest } from './manifest';
import { timelineEntries, timelineHtml, timelineMarkdown } from './timeline';

export type { LedgerRow } from './ledger';

/**
 * The files of a complete bundle besides the manifest and the fan-out batches' `child-*.json` histories (a bundle
 * exported without the key has only the raw histories).
 */
export const BUNDLE_FILES = [
  'approvals.json',
  'history.decoded.json',
  'history.json',
  'playbook.json',
  'state.json',
  'timeline.html',
  'timeline.md',
] as const;

/** What an export wrote, and what it could not. */
export interface ExportResult {
  dir: string;
  files: string[];
  /** Why the bundle is partial (e.g. an encrypted history and no key); empty for a complete bundle. */
  warnings: string[];
  /** Who signed the manifest; absent for an unsigned export. */
  signer?: { name: string; fingerprint: string };
}

/** How to export: the keys to decode the history with, and who signs the manifest. */
export interface ExportOptions {
  /** Keys to decode an encrypted history (CORDON_CODEC_KEYS). */
  codec?: CodecConfig;
  /** The operator's or service's key the manifest is signed with (CORDON_AUDIT_SIGNING_KEY). */
  signer?: AuditSigner;
  /** Export without a signer all the same: verify will report the bundle as unsigned. @default false */
  unsigned?: boolean;
}

/** Refuses an export that would be unsigned by accident. */
export class UnsignedExportError extends UserError {
  constructor() {
    super(
      'audit export needs a signing key: set CORDON_AUDIT_SIGNING_KEY (an ed25519 private key) and CORDON_AUDIT_SIGNER, or pass --unsigned',
      ErrorCode.AuditNoSigningKey,
    );
    this.name = 'UnsignedExportError';
  }
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** Child workflows (fan-out batches) the incident started, read from the raw events (ids are never encrypted). */
export function childWorkflowIds(rawEvents: JsonEvent[]): string[] {
  return rawEvents
    .filter((e) => e.eventType === 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED')
    .map((e) => String(attributesOf(e).workflowId ?? ''));
}

/** The bundle file holding a child's raw history: `child-<step>-<tag>-<batch>.json`. */
export function childFileName(parentId: string, childId: string): string {
  const rest = childId.startsWith(`${parentId}/`) ? childId.slice(parentId.length + 1) : childId;
  return `child-${rest.replace(/[^A-Za-z0-9._-]+/g, '-')}.json`;
}

/** The derived files of a bundle, computed from the raw history alone (verify recomputes them the same way). */
export async function deriveBundleFiles(
  rawEvents: JsonEvent[],
  codec: CodecConfig | undefined,
  fallbackState?: IncidentState,
): Promise<{ files: Record<string, string>; undecoded: number; state?: IncidentState }> {
  const decoded = await decodeEvents(rawEvents, codec ? new AesGcmPayloadCodec(codec) : undefined);
  const facts = historyFacts(decoded.events);
  const state = facts.finalState ?? fallbackState;
  if (!state || !facts.input) return { files: {}, undecoded: decoded.problems.length + 1 };
  const ledger = approvalsLedger(facts, state);
  const entries = timelineEntries(state, facts, ledger);
  return {
    state,
    undecoded: decoded.problems.length,
    files: {
      'history.decoded.json': json({ events: decoded.events }),
      'state.json': json(state),
      'approvals.json': json(ledger),
      'playbook.json': json({
        name: facts.input.playbook.name,
        version: facts.input.playbook.version,
        sha256: facts.input.playbookSha256,
        compiled: facts.input.playbook,
      }),
      'timeline.md': timelineMarkdown(state, entries),
      'timeline.html': timelineHtml(state, entries),
    },
  };
}

function encrypted(events: JsonEvent[]): boolean {
  return JSON.stringify(events).includes(`"${Buffer.from('binary/encrypted').toString('base64')}"`);
}

/**
 * Writes an incident's audit bundle: the raw history as Temporal exports it, the history with its payloads decoded,
 * the final state, the approvals ledger derived from the history, the playbook with its sha256, a Markdown and an
 * HTML timeline, and a manifest of SHA-256 digests of every file, signed with the exporter's Ed25519 key.
 * Without the key to an encrypted history, only the raw history and the manifest are written, with a warning.
 * @throws UnsignedExportError without a signer unless `unsigned` is set.
 */
export async function exportAuditBundle(
  client: Client,
  incidentId: string,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  if (!options.signer && !options.unsigned) throw new UnsignedExportError();
  const handle = incidentHandle(client, incidentId);
  // fetchHistory returns the events as the server stores them: payloads stay encrypted.
  const history = await handle.fetchHistory();
  const rawJson = historyToJSON(history);
  const rawEvents = historyEvents(JSON.parse(rawJson));
  const warnings: string[] = [];
  const files: Record<string, string> = { 'history.json': rawJson };
  // Fan-out batches run their activities (applies included) in child workflows: their histories belong in the bundle.
  for (const childId of childWorkflowIds(rawEvents)) {
    files[childFileName(handle.workflowId, childId)] = historyToJSON(
      await client.workflow.getHandle(childId).fetchHistory(),
    );
  }
  if (encrypted(rawEvents) && !options.codec) {
    warnings.push(
      'the history is encrypted and no key is configured (CORDON_CODEC_KEYS): exported the raw history only',
    );
  } else {
    let derived = await deriveBundleFiles(rawEvents, options.codec);
    // An incident that has not completed has no result in its history: its state comes from the status query.
    if (!derived.state) derived = await deriveBundleFiles(rawEvents, options.codec, await handle.query(statusQuery));
    if (derived.undecoded > 0) warnings.push(`${derived.undecoded} payload(s) could not be decoded`);
    Object.assign(files, derived.files);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outDir, name), text);
  let manifest: Manifest = {
    incidentId: handle.workflowId,
    exportedAt: new Date().toISOString(),
    historyEvents: rawEvents.length,
    files: Object.fromEntries(
      Object.keys(files)
        .sort()
        .map((f) => [f, sha256Hex(readFileSync(path.join(outDir, f)))]),
    ),
  };
  if (options.signer) manifest = signManifest(manifest, options.signer);
  writeFileSync(path.join(outDir, MANIFEST_FILE), json(manifest));
  return {
    dir: outDir,
    files: [...Object.keys(manifest.files), MANIFEST_FILE],
    warnings,
    ...(options.signer
      ? { signer: { name: options.signer.name, fingerprint: keyFingerprint(options.signer.publicKey) } }
      : {}),
  };
}
