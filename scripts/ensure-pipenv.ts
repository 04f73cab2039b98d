// Provides pipenv for the Pipfile.lock pin tests: prints its path, installing it once into .tools/pipenv-venv.
import { ensurePipenv } from '../test/harness/pipenv';

ensurePipenv((line) => process.stderr.write(`${line}\n`)).then(
  (bin) => process.stdout.write(`${bin}\n`),
  (err: Error) => {
    process.stderr.write(`cordon: ${err.message}\n`);
    process.exit(2);
  },
);
