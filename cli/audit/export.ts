import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { statusQuery, type IncidentState } from '../../workflows/definitions';
import { incidentHandle } from '../incidents';

/** One decision in the approvals ledger: who decided what about which exact plan, when, and through which channel. */
export interface LedgerRow {
  step: string;
  round: number;
  planHash: string;
  approver: string;
  decision: 'approve' | 'reject' | 'approved-by-default' | 'rejected-by-default';
  reason?: string;
  at: string;
  channel: string;
}

/** The approvals ledger of an incident, from its state. */
export function approvalsLedger(state: IncidentState): LedgerRow[] {
  const rows: LedgerRow[] = [];
  for (const s of state.steps) {
    for (const a of s.approvals) {
      for (const v of a.votes) {
        rows.push({
          step: s.id,
          round: a.round,
          planHash: v.planHash,
          approver: v.approver,
          decision: v.decision,
          at: v.at,
          channel: v.channel,
          ...(v.reason ? { reason: v.reason } : {}),
        });
      }
      if (a.expired) {
        rows.push({
          step: s.id,
          round: a.round,
          planHash: a.planHash,
          approver: a.decidedBy ?? 'policy',
          decision: a.decision === 'approved' ? 'approved-by-default' : 'rejected-by-default',
          at: a.decidedAt ?? '',
          channel: 'policy',
        });
      }
    }
  }
  return rows;
}

const sha256 = (buf: Buffer | string): string => createHash('sha256').update(buf).digest('hex');

/**
 * Writes an incident's audit bundle: the raw history as Temporal exports it, the final state, the approvals ledger,
 * the playbook's identity, and a manifest of SHA-256 digests of every file.
 * @returns the bundle's directory.
 */
export async function exportAuditBundle(client: Client, incidentId: string, outDir: string): Promise<string> {
  const handle = incidentHandle(client, incidentId);
  const history = await handle.fetchHistory();
  const state = await handle.query(statusQuery);
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {
    'history.json': historyToJSON(history),
    'state.json': `${JSON.stringify(state, null, 2)}\n`,
    'approvals.json': `${JSON.stringify(approvalsLedger(state), null, 2)}\n`,
    'playbook.json': `${JSON.stringify(state.playbook, null, 2)}\n`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(outDir, name), text);
  const manifest = {
    incidentId: state.incidentId,
    exportedAt: new Date().toISOString(),
    historyEvents: history.events?.length ?? 0,
    files: Object.fromEntries(
      readdirSync(outDir)
        .filter((f) => f !== 'manifest.json')
        .sort()
        .map((f) => [f, sha256(readFileSync(path.join(outDir, f)))]),
    ),
  };
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return outDir;
}
