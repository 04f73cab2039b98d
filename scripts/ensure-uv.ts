// Provides uv for the uv.lock pin tests: prints its path, installing it once into .tools/uv-venv.
import { ensureUv } from '../test/harness/uv';

ensureUv((line) => process.stderr.write(`${line}\n`)).then(
  (bin) => process.stdout.write(`${bin}\n`),
  (err: Error) => {
    process.stderr.write(`cordon: ${err.message}\n`);
    process.exit(2);
  },
);
