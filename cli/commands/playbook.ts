import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlaybook, formatProblem, playbookJsonSchema } from '../../domain/playbook';
import { readApproversFile } from '../../config/approvers';
import { ErrorCode, UserError } from '../../config/errors';
import { groupNames } from '../../domain/approvers';
import { parseFlags } from '../../client/args';
import type { Command } from '../io';

const USAGE = 'usage: cordon playbook validate FILE… [--approvers FILE] [--json] | cordon playbook schema';

/**
 * `cordon playbook validate FILE… [--approvers FILE]` (exit 0, or 2 with file:line:col problems; with an approvers
 * file, every approval group must exist in it) and `cordon playbook schema`.
 */
export const playbookCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === 'schema') {
    io.stdout.write(`${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (sub !== 'validate') throw new UserError(USAGE, ErrorCode.Usage);
  const { values, positionals } = parseFlags(rest, { json: { type: 'boolean' }, approvers: { type: 'string' } });
  if (positionals.length === 0) throw new UserError(USAGE, ErrorCode.Usage);
  // The groups a run resolves approvers from: a misspelt group would otherwise fail only when its step is reached.
  const approverGroups = values.approvers
    ? groupNames(readApproversFile(path.resolve(io.cwd, values.approvers), values.approvers))
    : undefined;
  let failed = false;
  const report: { file: string; ok: boolean; sha256?: string; problems?: unknown[] }[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (err) {
      failed = true;
      const problem = {
        file,
        line: 0,
        col: 0,
        path: '',
        message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      };
      report.push({ file, ok: false, problems: [problem] });
      if (!values.json) io.stderr.write(`${file}: ${problem.message}\n`);
      continue;
    }
    const result = compilePlaybook(text, file, undefined, approverGroups ? { approverGroups } : {});
    if (result.ok) {
      report.push({ file, ok: true, sha256: result.sha256 });
      if (!values.json)
        io.stdout.write(`${file}: ok (${result.playbook.steps.length} steps, sha256 ${result.sha256})\n`);
    } else {
      failed = true;
      report.push({ file, ok: false, problems: result.problems });
      if (!values.json) for (const p of result.problems) io.stderr.write(`${formatProblem(p)}\n`);
    }
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  return failed ? 2 : 0;
};
