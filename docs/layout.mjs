// The layout rules of docs/architecture.md as data: which folder may import which. eslint.config.mjs turns them into
// `import-x/no-restricted-paths` zones, so `npm run lint` fails on an import that breaks the table.

/** Every top-level folder of product code, tests and tools. */
export const FOLDERS = [
  'domain',
  'lockfiles',
  'workflows',
  'activities',
  'config',
  'codec',
  'client',
  'audit',
  'scan',
  'worker',
  'slack',
  'cli',
  'drill',
  'devserver',
  'sandbox',
  'scripts',
  'test',
  'bench',
];

/**
 * What each folder may import besides itself and packages. A path with a file or sub-folder narrows the grant to
 * that file or sub-folder.
 */
export const MAY_IMPORT = {
  domain: [],
  config: ['domain'],
  lockfiles: ['domain', 'config/errors.ts'],
  // Workflow code is bundled into Temporal's deterministic sandbox: activity *types* only.
  workflows: ['domain', 'activities/types.ts'],
  activities: ['domain', 'lockfiles', 'config'],
  codec: ['domain', 'config'],
  client: ['domain', 'workflows', 'config', 'codec'],
  scan: ['domain', 'lockfiles', 'config'],
  audit: ['domain', 'workflows', 'activities/types.ts', 'client', 'config', 'codec'],
  worker: ['domain', 'lockfiles', 'workflows', 'activities', 'config', 'codec', 'client', 'audit'],
  slack: ['domain', 'workflows', 'client', 'config', 'codec', 'activities/slack/blocks.ts'],
  cli: ['domain', 'workflows', 'client', 'audit', 'lockfiles', 'scan', 'config', 'codec', 'devserver', 'drill'],
  // The local engine and the demo wire real parts together.
  devserver: ['domain', 'workflows', 'activities', 'config', 'codec', 'client', 'worker'],
  drill: [
    'domain',
    'workflows',
    'activities',
    'config',
    'codec',
    'client',
    'audit',
    'worker',
    'slack',
    'devserver',
    'sandbox',
  ],
  // The sandbox must catch a client that misreads a protocol, so it shares none of the product's code.
  sandbox: [],
  scripts: FOLDERS.filter((f) => f !== 'bench' && f !== 'scripts'),
  test: FOLDERS.filter((f) => f !== 'test'),
  bench: FOLDERS.filter((f) => f !== 'bench'),
};

function zonesFor(target) {
  const grants = MAY_IMPORT[target];
  const zones = [];
  for (const from of FOLDERS) {
    if (from === target || grants.includes(from)) continue;
    const narrow = grants.filter((g) => g.startsWith(`${from}/`)).map((g) => `./${g.slice(from.length + 1)}`);
    zones.push({
      target: `./${target}`,
      from: `./${from}`,
      ...(narrow.length > 0 ? { except: narrow } : {}),
      message: `${target}/ may import ${grants.length > 0 ? grants.join(', ') : 'nothing of the product'} (docs/architecture.md).`,
    });
  }
  return zones;
}

/** One zone per (folder, folder it may not import). */
export const layoutZones = FOLDERS.flatMap(zonesFor);
