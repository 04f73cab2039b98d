// Provides moto's IAM server for the AWS tests and the demo: prints its path, installing it once into .tools/moto-venv.
import { ensureMotoServer } from '../sandbox/aws/moto';

try {
  const bin = ensureMotoServer((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${bin}\n`);
} catch (err) {
  process.stderr.write(`cordon: ${(err as Error).message}\n`);
  process.exit(2);
}
