// A cordon worker serving the real AWS actions (moto + the GitHub sandbox) in its own process, so a test can kill it
// with SIGKILL at a chosen point of a rotation. After each IAM call it prints `iam:<Command>` and pauses, so a
// kill lands between two calls.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createAwsActivities, createIamClient, parseInventory } from '../../activities/aws';
import { createGitHubClient } from '../../activities/github';
import type { ActionHandlers } from '../../activities/registry';
import { createCordonWorker } from '../../worker/create-worker';
import { createLogger } from '../../config/logger';
import { directoryFor } from './people';

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  const env = process.env;
  const pauseMs = Number(env.PAUSE_MS ?? 400);
  const iam = createIamClient({
    endpoint: env.MOTO_URL!,
    credentials: { accessKeyId: 'AKIAMOTOTESTADMIN000', secretAccessKey: 'moto-test-admin-secret' },
  });
  const send = iam.send.bind(iam);
  iam.send = (async (cmd: { constructor: { name: string } }) => {
    const r = await send(cmd as never);
    process.stdout.write(`iam:${cmd.constructor.name}\n`);
    await new Promise((res) => setTimeout(res, pauseMs));
    return r;
  }) as typeof iam.send;
  const handlers = {
    'test.read': { run: async (input: unknown) => input },
    ...createAwsActivities({
      iam,
      octokit: createGitHubClient({ token: env.GITHUB_TOKEN!, baseUrl: env.GITHUB_API_URL! }),
      inventory: parseInventory(JSON.parse(env.INVENTORY!), 'INVENTORY'),
    }),
  } satisfies ActionHandlers;
  const { worker } = await createCordonWorker({
    config: {
      temporal: { address: env.TEMPORAL_ADDRESS!, namespace: 'default', taskQueue: env.TASK_QUEUE! },
      approverGroups: { oncall: ['bob'] },
      approvers: directoryFor({ oncall: ['bob'] }),
      stateDir: '/tmp',
      drillLedger: '/tmp/cordon-aws-worker-ledger.jsonl',
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
