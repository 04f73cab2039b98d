// Provides the Temporal CLI for CI and newcomers: prints its path, building it once if needed.
import { ensureTemporalCli } from '../devserver/temporal-cli';

try {
  const cli = ensureTemporalCli(process.env, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${cli}\n`);
} catch (err) {
  process.stderr.write(`cordon: ${(err as Error).message}\n`);
  process.exit(2);
}
