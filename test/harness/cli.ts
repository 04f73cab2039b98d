// Runs the cordon CLI in-process with captured streams, as the real process would see them.
import { PassThrough } from 'node:stream';
import { runCli } from '../../cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `cordon ARGS…` in `cwd` with exactly the given environment; returns the exit code and both streams. */
export async function runCordon(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, cwd, env });
  return { code, out, err };
}
