// The `cordon` command: dispatches to one module per command; user errors print one line and exit 2.
import { fromTemporalError } from '../client/errors';
import { asCordonError } from '../config/errors';
import { refuseOversizedFlags } from './limits';
import { processIO, type CliIO, type Command } from './io';

const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: async () => (await import('./commands/scan')).scanCommand,
  pin: async () => (await import('./commands/pin')).pinCommand,
  playbook: async () => (await import('./commands/playbook')).playbookCommand,
  declare: async () => (await import('./commands/incident')).declareCommand,
  status: async () => (await import('./commands/incident')).statusCommand,
  list: async () => (await import('./commands/incident')).listCommand,
  approve: async () => (await import('./commands/incident')).approveCommand,
  reject: async () => (await import('./commands/incident')).rejectCommand,
  'stand-down': async () => (await import('./commands/incident')).standDownCommand,
  retry: async () => (await import('./commands/incident')).retryCommand,
  skip: async () => (await import('./commands/incident')).skipCommand,
  dev: async () => (await import('./commands/dev')).devCommand,
  worker: async () => (await import('./commands/dev')).workerCommand,
  sandbox: async () => (await import('./commands/sandbox')).sandboxCommand,
  'codec-server': async () => (await import('./commands/codec-server')).codecServerCommand,
  audit: async () => (await import('./commands/audit')).auditCommand,
  ack: async () => (await import('./commands/obligations')).ackCommand,
  fact: async () => (await import('./commands/obligations')).factCommand,
  obligations: async () => (await import('./commands/obligations')).obligationsCommand,
};

const USAGE = `usage: cordon <command> [options]

  scan [PATH…] --advisory FILE|DIR [--package ECO:name@version] [--format json|table]
                                    (exit 0 clean; 1 findings; 2 bad input, or an input unreadable and nothing found)
  pin [PATH…] --advisory FILE|DIR [--package ECO:name@version] [--since TIME] [--write]
                                    (prints the diff pinning each exposed lockfile to its last good version, or writes
                                     it; exit 0 nothing to do; 1 pinned/pinnable; 2 bad input)
  declare --package ECO:name@version[,version] --org ORG --since TIME [--severity S] [--as USER] [--drill]
          [--allow-missing] [--json]   (refused, one line per missing piece, unless pre-flight passes)
  status INCIDENT [--json]
  list [--status S] [--severity S] [--package P] [--org O] [--since TIME] [--until TIME] [--json]
  approve INCIDENT STEP [--plan HASH] [--as USER] [--key FILE] [--json]   (signs with --key or CORDON_SIGNING_KEY)
  reject INCIDENT STEP --reason TEXT [--as USER] [--key FILE] [--json]
  stand-down INCIDENT --reason TEXT [--as USER] [--key FILE]   (a decision: its group approves before undos run)
  retry INCIDENT STEP [--as USER] [--json]   (a failed step runs again; a changing step asks for approval again)
  skip INCIDENT STEP --reason TEXT [--as USER] [--json]   (a failed step is given up; steps needing it are skipped)
  ack INCIDENT OBLIGATION --as WHO [--reference REF] [--at TIME]   (stops that notice deadline's clock)
  fact INCIDENT FACT --as WHO [--note TEXT]   (e.g. personal-data-exposed: starts the obligations it triggers)
  obligations validate FILE…
  playbook validate FILE… [--approvers FILE]   (output references; approval groups against the approvers file)
  playbook schema
  sandbox [--org ORG] [--repos N] [--env-file FILE]   (the sandbox organisation on loopback, for practice; prints its env)
  dev [--port N] [--ui-port N]      (Temporal dev server on TEMPORAL_ADDRESS or --port, Web UI on --ui-port, a worker)
  worker
  codec-server [--port N] [--host H] [--cors-origin URL…] [--trust-ui-origin]   (payload decryption for the Temporal UI;
               callers send CORDON_CODEC_SERVER_TOKEN or their own from CORDON_CODEC_SERVER_TOKENS; --trust-ui-origin: loopback only)
  audit export INCIDENT --out DIR [--unsigned] [--json]   (bundle; manifest signed with CORDON_AUDIT_SIGNING_KEY)
  audit verify DIR [--trusted-keys FILE] [--keys FILE] [--replay-timeout S] [--json]   (signer, manifest, replay, ledger; exit 1 naming each violation)
`;

/** Runs one `cordon` invocation and returns its exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`cordon: unknown command "${name}" (try cordon help)\n`);
    return 2;
  }
  try {
    // Before any command connects: an attacker-sized reason never leaves this process.
    refuseOversizedFlags(args);
    return await (
      await load()
    )(args, io);
  } catch (err) {
    // The one place every command's errors pass: Temporal client errors a user causes (unknown incident, closed
    // incident, no codec key) become catalogue errors here, so no command can let one through as a "bug".
    const e = asCordonError(fromTemporalError(err));
    if (e.category === 'bug') {
      // A bug is the one case worth a stack: whoever reports it needs to know where it came from.
      const stack = e.cause instanceof Error ? e.cause.stack : undefined;
      io.stderr.write(`cordon ${name}: internal error (a bug; please report it): ${stack ?? String(e.cause)}\n`);
      return 1;
    }
    io.stderr.write(`cordon ${name}: ${e.message}\n`);
    return e.category === 'user' ? 2 : 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIO()).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`cordon: ${String(err)}\n`);
      process.exit(1);
    },
  );
}
