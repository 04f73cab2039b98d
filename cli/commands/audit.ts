import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { readAuditConfig, readTrustedKeys } from '../../config/audit';
import { readCodecConfig, type CodecConfig } from '../../config/codec';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { parseFlags } from '../../client/args';
import { exportAuditBundle, UnsignedExportError } from '../../audit/export';
import { verifyAuditBundle, type VerifyReport } from '../../audit/verify';
import { connectClient } from '../../client/connect';
import type { CliIO, Command } from '../io';

const GRPC_NOT_FOUND = 5;
const USAGE =
  'usage: cordon audit export INCIDENT --out DIR [--unsigned] [--json] | cordon audit verify DIR [--trusted-keys FILE]… [--keys FILE] [--replay-timeout SECONDS] [--json]';

async function exportCmd(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    out: { type: 'string' },
    unsigned: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [incident, ...rest] = positionals;
  if (!incident || rest.length > 0) throw new UserError(`audit export needs one INCIDENT (${USAGE})`, ErrorCode.Usage);
  if (!values.out) throw new UserError('audit export needs --out DIR', ErrorCode.Usage);
  const config = loadConfig(io.env, io.cwd);
  const audit = readAuditConfig(io.env, io.cwd);
  // Refused before anything is fetched: an unsigned bundle is only ever written on purpose.
  if (!audit.signer && !values.unsigned) throw new UnsignedExportError();
  const { client, close } = await connectClient(config);
  try {
    const r = await exportAuditBundle(client, incident, path.resolve(io.cwd, values.out), {
      ...(config.codec ? { codec: config.codec } : {}),
      ...(audit.signer ? { signer: audit.signer } : { unsigned: true }),
    }).catch((err: unknown) => {
      // fetchHistory surfaces the server's gRPC NOT_FOUND (code 5) as it is, not as WorkflowNotFoundError.
      if (err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND))
        throw new UserError(`no incident ${incident} in namespace ${config.temporal.namespace}`, ErrorCode.NotFound);
      throw err;
    });
    if (!r.signer) r.warnings.push('the manifest is unsigned (--unsigned): audit verify will report it as a violation');
    for (const w of r.warnings) io.stderr.write(`cordon audit export: warning: ${w}\n`);
    const dir = path.relative(io.cwd, r.dir) || '.';
    if (values.json)
      io.stdout.write(
        `${JSON.stringify({ dir, files: r.files, warnings: r.warnings, ...(r.signer ? { signer: r.signer } : {}) })}\n`,
      );
    else
      io.stdout.write(
        `exported ${incident} to ${dir} (${r.files.join(', ')})${r.signer ? `, signed by ${r.signer.name} (${r.signer.fingerprint})` : ''}\n`,
      );
    return 0;
  } finally {
    await close();
  }
}

function printReport(r: VerifyReport, io: CliIO): void {
  const c = r.checks;
  io.stdout.write(
    `${r.ok ? 'OK' : 'FAILED'} ${r.incidentId ?? r.dir}: manifest ${c.manifest}, signature ${c.signature}, replay ${c.replay}, ledger ${c.ledger}, derived files ${c.derivedFiles} (${r.counted.events} events, ${r.counted.votes} votes, ${r.counted.applies} applies)\n`,
  );
  if (r.signer) io.stdout.write(`  signed by ${r.signer.name} (${r.signer.fingerprint})\n`);
  for (const v of r.violations) io.stdout.write(`  violation ${v.code}: ${v.message}\n`);
  for (const w of r.warnings) io.stdout.write(`  warning: ${w}\n`);
}

/** `--keys FILE`: codec keys in the JSON shape `CORDON_CODEC_KEYS` takes (what the demo writes to `demo.keys`). */
function codecKeysFile(file: string, label: string): CodecConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `--keys ${label}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      ErrorCode.Usage,
    );
  }
  try {
    return readCodecConfig(text.trim(), undefined);
  } catch (err) {
    // readCodecConfig names CORDON_CODEC_KEYS; here the keys came from the file.
    throw new UserError(`--keys ${label}: ${(err as Error).message.replace(/^configuration: /, '')}`, ErrorCode.Usage);
  }
}

async function verifyCmd(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    'trusted-keys': { type: 'string', multiple: true },
    keys: { type: 'string' },
    'replay-timeout': { type: 'string' },
    json: { type: 'boolean' },
  });
  const [dir, ...rest] = positionals;
  if (!dir || rest.length > 0) throw new UserError(`audit verify needs one DIR (${USAGE})`, ErrorCode.Usage);
  const config = loadConfig(io.env, io.cwd);
  const audit = readAuditConfig(io.env, io.cwd);
  const trustedKeys = [
    ...audit.trustedKeys,
    ...(values['trusted-keys'] ?? []).flatMap((f) => readTrustedKeys(path.resolve(io.cwd, f), '--trusted-keys')),
  ];
  let replayTimeoutMs = audit.replayTimeoutMs;
  if (values['replay-timeout'] !== undefined) {
    const s = Number(values['replay-timeout']);
    if (!Number.isFinite(s) || s <= 0)
      throw new UserError('--replay-timeout: expected seconds, above 0', ErrorCode.Usage);
    replayTimeoutMs = Math.round(s * 1000);
  }
  const codec =
    values.keys !== undefined ? codecKeysFile(path.resolve(io.cwd, values.keys), values.keys) : config.codec;
  const report = await verifyAuditBundle(path.resolve(io.cwd, dir), codec, { trustedKeys, replayTimeoutMs });
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
