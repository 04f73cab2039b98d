import path from 'node:path';
import { isTrigger, TRIGGERS } from '../../domain/notify';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import type { ObligationState } from '../../workflows/definitions';
import { actingUser, parseFlags } from '../../client/args';
import { connectClient } from '../../client/connect';
import type { CliIO, Command } from '../io';
import { acknowledgeObligation, loadObligationsFile, recordFact } from '../../client/obligations';

async function withClient<T>(
  io: CliIO,
  fn: (client: Awaited<ReturnType<typeof connectClient>>['client']) => Promise<T>,
) {
  const { client, close } = await connectClient(loadConfig(io.env, io.cwd));
  try {
    return await fn(client);
  } finally {
    await close();
  }
}

/** One line per obligation for `cordon status`: state, deadline, reminders sent, acknowledgement. */
export function renderObligations(states: ObligationState[]): string {
  if (states.length === 0) return '';
  const lines = ['  obligations:'];
  for (const o of states) {
    const sent = o.reminders.filter((r) => r.sentAt).length;
    const notice = o.sent?.length ? `  notice sent ${o.sent[0]!.at}` : '  notice not sent';
    const ack = o.acknowledgement
      ? `  acknowledged by ${o.acknowledgement.by} at ${o.acknowledgement.at}${o.acknowledgement.reference ? ` ref ${o.acknowledgement.reference}` : ''}`
      : `  expects: ${o.expected.expected}`;
    lines.push(
      `  ${o.status.padEnd(20)} ${o.id} → ${o.partyName}  due ${o.deadline}  reminders ${sent}/${o.reminders.length}  owner ${o.owner}${notice}${ack}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `cordon ack INCIDENT OBLIGATION --as WHO [--reference REF] [--at TIME] [--note TEXT]`. */
export const ackCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, {
    as: { type: 'string' },
    reference: { type: 'string' },
    at: { type: 'string' },
    note: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 2)
    throw new UserError(
      'usage: cordon ack INCIDENT OBLIGATION --as WHO [--reference REF] [--at TIME]',
      ErrorCode.Usage,
    );
  if (values.at !== undefined && Number.isNaN(Date.parse(values.at)))
    throw new UserError(`--at ${values.at}: expected an ISO 8601 time`, ErrorCode.Usage);
  const [incident, obligation] = positionals as [string, string];
  const state = await withClient(io, (client) =>
    acknowledgeObligation(client, incident, obligation, {
      by: actingUser(values.as, io.env),
      ...(values.reference ? { reference: values.reference } : {}),
      ...(values.at ? { at: values.at } : {}),
      ...(values.note ? { note: values.note } : {}),
    }),
  );
  if (values.json) io.stdout.write(`${JSON.stringify(state)}\n`);
  else io.stdout.write(`${state.id} acknowledged by ${state.acknowledgement!.by}; its clock is stopped\n`);
  return 0;
};

/** `cordon fact INCIDENT FACT --as WHO [--note TEXT]`: record what only people know (personal data exposed…). */
export const factCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, { as: { type: 'string' }, note: { type: 'string' } });
  const [incident, fact] = positionals;
  if (positionals.length !== 2 || !isTrigger(fact))
    throw new UserError(`usage: cordon fact INCIDENT ${TRIGGERS.join('|')} --as WHO [--note TEXT]`, ErrorCode.Usage);
  await withClient(io, (client) =>
    recordFact(client, incident!, {
      fact,
      by: actingUser(values.as, io.env),
      ...(values.note ? { note: values.note } : {}),
    }),
  );
  io.stdout.write(`recorded ${fact} on ${incident}\n`);
  return 0;
};

/** `cordon obligations validate FILE…`: exit 0, or 2 with file:line:col problems. */
export const obligationsCommand: Command = async (args, io) => {
  const [sub, ...files] = args;
  if (sub !== 'validate' || files.length === 0)
    throw new UserError('usage: cordon obligations validate FILE…', ErrorCode.Usage);
  let failed = false;
  for (const file of files) {
    try {
      const o = loadObligationsFile(path.resolve(io.cwd, file), file);
      io.stdout.write(`${file}: ok, ${o.obligations.length} obligation(s) (sha256 ${o.sha256.slice(0, 12)})\n`);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failed = true;
      io.stderr.write(`${err.message}\n`);
    }
  }
  return failed ? 2 : 0;
};
