// A cordon worker in its own process, so a test can kill it with SIGKILL mid-incident and start another.
// Its one mutating action records each item in a drill ledger file and pauses between items, so a kill lands mid-apply.
import { DrillLedger } from '../../activities/drill';
import { hashJson } from '../../domain/canonical-json';
import type { ActionHandlers } from '../../activities/registry';
import { createCordonWorker } from '../../worker/create-worker';
import { createLogger } from '../../config/logger';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { directoryFor } from './people';

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  const env = process.env;
  const ledger = new DrillLedger(env.LEDGER!);
  const pauseMs = Number(env.PAUSE_MS ?? 300);
  const handlers = {
    'test.read': { run: async (input: unknown) => input },
    'test.slowChange': {
      async plan(input: { targets: string[] }) {
        return { summary: `change ${input.targets.length}`, items: input.targets, irreversible: false };
      },
      async apply(plan: { items: string[] }, ctx: { idempotencyKey: string }) {
        let changed = 0;
        for (const item of plan.items) {
          if (
            ledger.record({
              key: `${ctx.idempotencyKey}/${hashJson(item)}`,
              action: 'test.slowChange',
              op: 'apply',
              item,
            })
          )
            changed++;
          await new Promise((r) => setTimeout(r, pauseMs));
        }
        return { changed, pid: process.pid };
      },
    },
  } as unknown as ActionHandlers;
  const { worker } = await createCordonWorker({
    config: {
      temporal: { address: env.TEMPORAL_ADDRESS!, namespace: 'default', taskQueue: env.TASK_QUEUE! },
      approverGroups: { oncall: ['bob'] },
      approvers: directoryFor({ oncall: ['bob'] }),
      stateDir: '/tmp',
      drillLedger: env.LEDGER!,
      logLevel: 'silent',
    },
    handlers,
    logger: createLogger('silent'),
  });
  process.stdout.write('ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
