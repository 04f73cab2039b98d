// Incidents outlive deployments: a worker upgraded mid-incident replays the history its predecessor wrote, and
// `cordon audit verify` replays histories exported long ago. Every history in test/fixtures/histories (recorded by
// `npm run -s fixtures:histories` from earlier commits, see index.json) must replay against the current workflow
// code. When this fails, the interpreter changed the commands it issues for an old history: guard the new
// behaviour with `patched('<change-id>')` in workflows/incident.ts (see the comment there) instead of editing or
// re-recording the fixture.
// https://docs.temporal.io/develop/typescript/versioning#patching
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workflows/bundle';

const DIR = path.resolve(__dirname, '..', 'fixtures', 'histories');
const index = JSON.parse(readFileSync(path.join(DIR, 'index.json'), 'utf8')) as Record<
  string,
  { workflowId: string; commit: string; description: string; events: number }
>;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort();

describe('stored incident histories', () => {
  it('are each recorded from a named commit, and index.json lists exactly them', () => {
    expect(Object.keys(index).sort()).toEqual(files);
    for (const f of files) expect(index[f]!.commit).toMatch(/^[0-9a-f]{40}$/);
    // More than one version is kept: the point is replaying what older code wrote.
    expect(new Set(files.map((f) => index[f]!.commit)).size).toBeGreaterThan(1);
  });

  it('replay deterministically against the current workflow code', async () => {
    // The workflow id is part of what replays: fan-out child ids derive from it.
    const histories = files.map((f) => ({
      workflowId: index[f]!.workflowId,
      history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, f), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
