import { parseFlags } from '../../client/args';
import { runLocalWorker } from '../../devserver/dev';
import type { Command } from '../io';

/**
 * `cordon dev`: a persistent local stack — the Temporal dev server with its SQLite file under `.cordon/`, the Web UI,
 * and a worker — until Ctrl-C. Incidents survive restarts of this command.
 */
export const devCommand: Command = async (args, io) => {
  const { values } = parseFlags(args, { port: { type: 'string' }, 'ui-port': { type: 'string' } }, false);
  const port = Number(values.port ?? 7233);
  const uiPort = Number(values['ui-port'] ?? port + 1000);
  await runLocalWorker({
    env: io.env,
    cwd: io.cwd,
    devServer: { port, uiPort },
    tell: (line) => io.stderr.write(`${line}\n`),
  });
  return 0;
};

/** `cordon worker`: a worker against the configured Temporal server. */
export const workerCommand: Command = async (_args, io) => {
  await runLocalWorker({ env: io.env, cwd: io.cwd, tell: (line) => io.stderr.write(`${line}\n`) });
  return 0;
};
