/** What a CLI command may touch: passed in so tests run commands in-process with their own streams and env. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Working directory that relative paths are resolved against and reported relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A CLI command: parses its own arguments and returns the process exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** The real process's streams, directory and environment. */
export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
