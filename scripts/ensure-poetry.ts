// Provides Poetry for the poetry.lock pin tests: prints its path, installing it once into .tools/poetry-venv.
import { ensurePoetry } from '../test/harness/poetry';

ensurePoetry((line) => process.stderr.write(`${line}\n`)).then(
  (bin) => process.stdout.write(`${bin}\n`),
  (err: Error) => {
    process.stderr.write(`cordon: ${err.message}\n`);
    process.exit(2);
  },
);
