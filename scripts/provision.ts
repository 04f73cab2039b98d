// `npm run -s provision [tool…]`: builds what the tests and the demo run besides Node into the per-user tool cache,
// once. With no tool named it provisions all of them and checks Cargo (the first step of `npm test`); `npm run -s
// <tool>:ensure` names one and prints its path on stdout. Progress and the one-line errors go to stderr.
import { ALL_TOOLS, provision, toolTitle, type ToolName } from '../devserver/tools';
import { toolsCacheRoot } from '../devserver/tool-cache';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(ALL_TOOLS as readonly string[]).includes(a));
  if (unknown.length) {
    log(`cordon: unknown tool ${unknown.join(', ')} (known: ${ALL_TOOLS.join(', ')})`);
    process.exit(2);
  }
  const names = (asked.length ? asked : ALL_TOOLS) as ToolName[];
  const found = await provision(names, { log, cargo: asked.length === 0 });
  if (asked.length === 1) process.stdout.write(`${found[names[0]!]}\n`);
  else
    log(
      `cordon: tools ready (${names.map(toolTitle).join(', ')}${found.cargo ? ', cargo' : ''}; cache ${toolsCacheRoot()})`,
    );
}

main().catch((err: Error) => {
  log(`cordon: ${err.message}`);
  process.exit(2);
});
