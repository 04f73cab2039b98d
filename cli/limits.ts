// The CLI refuses oversized free text before it connects: every command's --reason, --note, --title and --reference
// are checked here, in one place, against the same limits the workflow's validators apply.
import { overLimit, type LimitedField } from '../domain/limits';
import { ErrorCode, UserError } from '../config/errors';

const FLAGS: Record<string, LimitedField> = {
  '--reason': 'reason',
  '--note': 'note',
  '--title': 'title',
  '--reference': 'reference',
};

/**
 * Throws a UserError (E_TOO_LONG) naming the flag and its limit when a free-text flag in `args` is over its limit;
 * both `--flag VALUE` and `--flag=VALUE` are read. Everything else is left to the command's own parser.
 */
export function refuseOversizedFlags(args: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const field = FLAGS[flag];
    if (!field) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : args[i + 1];
    const problem = overLimit(field, value);
    if (problem) throw new UserError(`${flag}: ${problem}`, ErrorCode.TooLong);
  }
}
