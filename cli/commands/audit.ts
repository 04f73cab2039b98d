import path from 'node:path';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { parseFlags } from '../../client/args';
import { exportAuditBundle } from '../../audit/export';
import { verifyAuditBundle, type VerifyReport } from '../../audit/verify';
import { connectClient } from '../../client/connect';
import type { CliIO, Command } from '../io';

const GRPC_NOT_FOUND = 5;
const USAGE = 'usage: cordon audit export INCIDENT --out DIR [--json] | cordon audit verify DIR [--json]';

async function exportCmd(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, { out: { type: 'string' }, json: { type: 'boolean' } });
  const [incident, ...rest] = positionals;
  if (!incident || rest.length > 0) throw new UserError(`audit export needs one INCIDENT (${USAGE})`, ErrorCode.Usage);
  if (!values.out) throw new UserError('audit export needs --out DIR', ErrorCode.Usage);
  const config = loadConfig(io.env, io.cwd);
  const { client, close } = await connectClient(config);
  try {
    const r = await exportAuditBundle(client, incident, path.resolve(io.cwd, values.out), {
      ...(config.codec ? { codec: config.codec } : {}),
    }).catch((err: unknown) => {
      // fetchHistory surfaces the server's gRPC NOT_FOUND (code 5) as it is, not as WorkflowNotFoundError.
      if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND))
        throw new UserError(`no incident ${incident} in namespace ${config.temporal.namespace}`, ErrorCode.NotFound);
      throw err;
    });
    for (const w of r.warnings) io.stderr.write(`cordon audit export: warning: ${w}\n`);
    const dir = path.relative(io.cwd, r.dir) || '.';
    if (values.json) io.stdout.write(`${JSON.stringify({ dir, files: r.files, warnings: r.warnings })}\n`);
    else io.stdout.write(`exported ${incident} to ${dir} (${r.files.join(', ')})\n`);
    return 0;
  } finally {
    await close();
  }
}

/**
 * A replay that fails makes the SDK log the failed activation and the failing task at length; the report already
 * names the violation with the SDK's message, so the command keeps its output to the report. Only possible before
 * the process's Temporal runtime exists (a host that already made one, like a test run, keeps its own logger).
 */
function quietReplayLogs(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR', () => {}),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // Already installed.
  }
}

function printReport(r: VerifyReport, io: CliIO): void {
  const c = r.checks;
  io.stdout.write(
    `${r.ok ? 'OK' : 'FAILED'} ${r.incidentId ?? r.dir}: manifest ${c.manifest}, signature ${c.signature}, replay ${c.replay}, ledger ${c.ledger}, derived files ${c.derivedFiles} (${r.counted.events} events, ${r.counted.votes} votes, ${r.counted.applies} applies)\n`,
  );
  for (const v of r.violations) io.stdout.write(`  violation ${v.code}: ${v.message}\n`);
  for (const w of r.warnings) io.stdout.write(`  warning: ${w}\n`);
}

async function verifyCmd(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } });
  const [dir, ...rest] = positionals;
  if (!dir || rest.length > 0) throw new UserError(`audit verify needs one DIR (${USAGE})`, ErrorCode.Usage);
  const config = loadConfig(io.env, io.cwd);
  quietReplayLogs();
  const report = await verifyAuditBundle(path.resolve(io.cwd, dir), config.codec);
  report.dir = dir;
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report, io);
  return report.ok ? 0 : 1;
}

/** `cordon audit export|verify`. */
export const auditCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === 'export') return exportCmd(rest, io);
  if (sub === 'verify') return verifyCmd(rest, io);
  throw new UserError(sub ? `unknown audit command "${sub}" (${USAGE})` : USAGE, ErrorCode.Usage);
};
