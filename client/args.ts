import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCode, UserError } from '../config/errors';

/** `node:util` parseArgs with cordon's error style: a bad flag is a UserError (one line, exit 2). */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = true,
): {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true; args: string[] }>>['values'];
  positionals: string[];
} {
  try {
    const r = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: r.values, positionals: r.positionals };
  } catch (err) {
    throw new UserError((err as Error).message, ErrorCode.Usage);
  }
}

/** The identity a CLI user acts as: `--as`, else $CORDON_USER, else $USER. */
export function actingUser(as: string | undefined, env: NodeJS.ProcessEnv): string {
  const who = as ?? env.CORDON_USER ?? env.USER;
  if (!who) throw new UserError('who is acting? pass --as USER or set CORDON_USER', ErrorCode.Usage);
  return who;
}
