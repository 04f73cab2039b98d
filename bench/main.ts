// `npm run bench [-- NAME…]`: runs every benchmark module in bench/ (or the ones named) and prints one JSON object.
// Each module default-exports an async function returning its JSON-able results.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';

async function main(): Promise<void> {
  // Once per process: the Temporal runtime's own INFO lines would drown the JSON's progress notes.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const wanted = new Set(process.argv.slice(2));
  const names = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .filter((n) => wanted.size === 0 || wanted.has(n))
    .sort();
  const results: Record<string, unknown> = {
    machine: { node: process.version, platform: process.platform, cpus: (await import('node:os')).cpus().length },
  };
  for (const name of names) {
    process.stderr.write(`bench: ${name}\n`);
    const mod = (await import(path.join(__dirname, `${name}.bench.ts`))) as { default: () => Promise<unknown> };
    results[name] = await mod.default();
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
