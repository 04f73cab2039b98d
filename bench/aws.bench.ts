// AWS rotation benchmarks against moto on loopback. Mapping: planning a rotation whose 100 users come from the
// inventory, against the same users found through IAM tags (a ListUserTags call per user and role) in the same run.
// Rotation: applying the plan for a few users, IAM calls and GitHub writes counted; GitHub's client spaces writes
// about a second apart (plugin-throttling's write limiter), which dominates the wall time.
import { performance } from 'node:perf_hooks';
import { CreateAccessKeyCommand, CreateUserCommand, TagUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { createIamClient, parseInventory, rotateAccessKeys, SECRETS_TAG, type RotationItem } from '../activities/aws';
import type { ReachableSecret } from '../activities/github/exposure-actions';
import { createGitHubClient } from '../activities/github';
import type { ActionContext, ActionPlan } from '../activities/types';
import { findTool } from '../devserver/tools';
import { startMotoServer } from '../sandbox/aws/moto';
import { startGitHubSandbox } from '../sandbox/github';

const USERS = Number(process.env.BENCH_AWS_USERS ?? 100);
const ROTATE = Number(process.env.BENCH_AWS_ROTATE ?? 5);
const TOKEN = 'ghs_benchAws';
const CREDS = { accessKeyId: 'AKIABENCHMOTO0000000', secretAccessKey: 'bench' };

const repo = (i: number) => `svc-${String(i).padStart(4, '0')}`;

function counting(iam: IAMClient): { iam: IAMClient; calls: () => number } {
  let n = 0;
  const send = iam.send.bind(iam);
  iam.send = ((cmd: never) => {
    n++;
    return send(cmd);
  }) as typeof iam.send;
  return { iam, calls: () => n };
}

export default async function bench(): Promise<unknown> {
  const bin = findTool('moto');
  if (!bin) return { skipped: 'moto is not installed: run `npm run -s moto:ensure`' };
  const moto = await startMotoServer(bin);
  const github = await startGitHubSandbox({
    org: {
      name: 'acme',
      repos: Array.from({ length: USERS }, (_, i) => ({
        name: repo(i),
        secrets: [{ name: 'AWS_ACCESS_KEY_ID' }, { name: 'AWS_SECRET_ACCESS_KEY' }],
      })),
    },
    tokens: [TOKEN],
  });
  try {
    const admin = createIamClient({ endpoint: moto.url, credentials: CREDS });
    const targets: ReachableSecret[] = [];
    const secrets: Record<string, { user: string }> = {};
    for (let i = 0; i < USERS; i++) {
      const user = `ci-${repo(i)}`;
      await admin.send(new CreateUserCommand({ UserName: user }));
      const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((n) => `acme/${repo(i)}:${n}`);
      await admin.send(new TagUserCommand({ UserName: user, Tags: [{ Key: SECRETS_TAG, Value: names.join(' ') }] }));
      await admin.send(new CreateAccessKeyCommand({ UserName: user }));
      for (const n of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
        targets.push({ repo: `acme/${repo(i)}`, scope: 'repository', name: n });
        secrets[`acme/${repo(i)}:${n}`] = { user };
      }
    }
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    const ctx: ActionContext = { incidentId: 'bench', stepId: 'rotate', idempotencyKey: 'bench/rotate', drill: true };
    const planWith = async (inventory: ReturnType<typeof parseInventory>) => {
      const c = counting(createIamClient({ endpoint: moto.url, credentials: CREDS }));
      const t0 = performance.now();
      const plan = await rotateAccessKeys({ iam: c.iam, octokit, inventory }).plan!({ targets }, ctx);
      return { plan, ms: Math.round(performance.now() - t0), iamCalls: c.calls(), users: plan.items.length };
    };
    const byInventory = await planWith(parseInventory({ secrets }, 'bench'));
    const byTags = await planWith(parseInventory({}, 'bench'));

    const c = counting(createIamClient({ endpoint: moto.url, credentials: CREDS }));
    const some: ActionPlan<RotationItem> = { ...byInventory.plan, items: byInventory.plan.items.slice(0, ROTATE) };
    const writesBefore = github.requests.filter((r) => r.method === 'PUT').length;
    const t0 = performance.now();
    await rotateAccessKeys({ iam: c.iam, octokit, inventory: parseInventory({ secrets }, 'bench') }).apply!(some, ctx);
    const ms = performance.now() - t0;
    return {
      mapping: {
        users: USERS,
        inventory: { ms: byInventory.ms, iamCalls: byInventory.iamCalls, users: byInventory.users },
        tags: { ms: byTags.ms, iamCalls: byTags.iamCalls, users: byTags.users },
        tagScanCost: Math.round((byTags.ms / Math.max(1, byInventory.ms)) * 10) / 10,
      },
      rotation: {
        users: ROTATE,
        msPerUser: Math.round(ms / ROTATE),
        iamCallsPerUser: c.calls() / ROTATE,
        githubWritesPerUser: (github.requests.filter((r) => r.method === 'PUT').length - writesBefore) / ROTATE,
      },
    };
  } finally {
    await github.stop();
    await moto.stop();
  }
}
