// Runs a tool to its end with its output kept: how the harness asks a package manager to read what cordon wrote.
import { spawn, type SpawnOptions } from 'node:child_process';

/** What a tool said (stdout and stderr as they came, and stdout alone), and the folder it ran in. */
export interface ToolRun {
  status: number | null;
  output: string;
  stdout: string;
  dir: string;
}

/**
 * `cmd args` to its exit, asynchronously: the sandbox registry a package manager reads usually serves from the
 * test's own process, which a synchronous spawn would block.
 */
export function runTool(cmd: string, args: string[], options: SpawnOptions & { cwd: string }): Promise<ToolRun> {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString('utf8');
    stdout += d.toString('utf8');
  });
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output, stdout, dir: options.cwd }));
  });
}
