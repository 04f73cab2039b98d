import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseFlags } from '../../client/args';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { shellEnvLines, startSandboxOrg } from '../../drill/sandbox-org';
import type { Command } from '../io';

/**
 * `cordon sandbox [--org ORG] [--repos N] [--env-file FILE]`: the sandbox organisation on loopback until Ctrl-C, for
 * practising by hand. Prints the environment lines that point `cordon dev` and the CLI at it, and writes them to
 * FILE (default `<state dir>/sandbox.env`, removed on exit: its URLs die with the sandbox).
 */
export const sandboxCommand: Command = async (args, io) => {
  const { values } = parseFlags(
    args,
    { org: { type: 'string' }, repos: { type: 'string' }, 'env-file': { type: 'string' } },
    false,
  );
  const repos = Number(values.repos ?? 24);
  if (!Number.isInteger(repos) || repos < 3)
    throw new UserError(`--repos ${values.repos}: expected a whole number of at least 3`, ErrorCode.Usage);
  const envFile = path.resolve(
    io.cwd,
    values['env-file'] ?? path.join(loadConfig(io.env, io.cwd).stateDir, 'sandbox.env'),
  );
  const tell = (line: string): void => void io.stderr.write(`${line}\n`);
  const keysDir = path.join(path.dirname(envFile), 'sandbox-keys');
  const org = await startSandboxOrg({
    repos,
    env: io.env,
    log: tell,
    keysDir,
    ...(values.org ? { org: values.org } : {}),
  });
  try {
    const lines = shellEnvLines(org.env);
    mkdirSync(path.dirname(envFile), { recursive: true });
    // The file holds the practice payload key: readable by its owner only.
    writeFileSync(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    io.stdout.write(`${lines.join('\n')}\n`);
    tell(
      `cordon sandbox: organisation "${org.org}" on loopback, exposure window ${org.window.since} .. ${org.window.until}`,
    );
    if (org.awsDrillReason) tell(`cordon sandbox: ${org.awsDrillReason}`);
    tell(`cordon sandbox: votes are signed: each person's key is ${path.relative(io.cwd, keysDir)}/<name> (--key)`);
    const shown = path.relative(io.cwd, envFile);
    tell(`cordon sandbox: in each other shell: set -a && . ${shown.startsWith('..') ? envFile : shown} && set +a`);
    tell('cordon sandbox: ready (Ctrl-C stops it)');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    rmSync(envFile, { force: true });
    await org.stop();
  }
  return 0;
};
