import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGitHubClient } from '../../../../../activities/github';
import { revokeTokens, tokenFingerprint, type RevokeItem } from '../../../../../activities/github/revoke';
import type { ActionContext } from '../../../../../activities/types';
import { startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../../../../sandbox/github';

const TOKEN = 'ghs_revoke';
const SINCE = '2026-06-17T04:00:00Z';
const UNTIL = '2026-06-18T04:00:00Z';
const at = (hours: number) => new Date(Date.parse(SINCE) + hours * 3_600_000).toISOString();

// 150 PATs used inside the window (two revoke batches), one used only before it; a deploy key added inside the
// window and one from long before; two org runners.
const spec: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      deployKeys: [
        { id: 71, title: 'ci deploy', key: 'ssh-ed25519 AAAA-old', createdAt: at(-2000) },
        { id: 72, title: 'added by the worm', key: 'ssh-ed25519 AAAA-new', createdAt: at(3) },
      ],
    },
  ],
  runners: [
    { id: 1, name: 'org-runner-1', createdAt: at(-5000) },
    { id: 2, name: 'org-runner-2', createdAt: at(2) },
  ],
  personalAccessTokens: [
    ...Array.from({ length: 150 }, (_, i) => ({
      id: 1000 + i,
      tokenId: 5000 + i,
      tokenName: `pat-${i}`,
      ownerLogin: `dev${i % 7}`,
      tokenLastUsedAt: at(1 + (i % 20)),
    })),
    { id: 999, tokenId: 4999, tokenName: 'old-pat', ownerLogin: 'ops', tokenLastUsedAt: at(-100) },
  ],
};

let sandbox: GitHubSandbox;
beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
});
afterAll(async () => {
  await sandbox.stop();
});

const ctx: ActionContext = {
  incidentId: 'incident-revoke',
  stepId: 'revoke-tokens',
  idempotencyKey: 'incident-revoke/revoke-tokens',
  drill: true,
};

test('revokes PATs used in the window in batches of 100, deploy keys added in it, listed runners and leaked tokens, with fingerprints only in plan and effects', async () => {
  const leakedFile = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-leaked-')), 'leaked.txt');
  const leaked = ['ghp_leakedTokenFromExposedLog0000000001', 'ghp_leakedTokenFromExposedLog0000000002'];
  writeFileSync(leakedFile, `# found in run 101 logs\n${leaked.join('\n')}\n`);
  const action = revokeTokens(createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }));
  const plan = await action.plan!(
    {
      org: 'acme',
      since: SINCE,
      until: UNTIL,
      repos: [{ owner: 'acme', name: 'web' }],
      targets: [
        { id: 1, name: 'org-runner-1', os: 'linux', status: 'online', busy: false, labels: [], scope: 'org' },
        { id: 2, name: 'org-runner-2', os: 'linux', status: 'online', busy: false, labels: [], scope: 'org' },
      ],
      leakedTokensFile: leakedFile,
    },
    ctx,
  );
  const kinds = (k: RevokeItem['kind']) => plan.items.filter((i) => i.kind === k);
  expect(kinds('pat')).toHaveLength(150);
  expect(kinds('deployKey')).toEqual([expect.objectContaining({ id: 72 })]);
  expect(kinds('runner').map((r) => (r as { name: string }).name)).toEqual(['org-runner-1', 'org-runner-2']);
  expect(kinds('leakedToken')).toEqual(
    leaked.map((t) => ({ kind: 'leakedToken', fingerprint: tokenFingerprint(t), prefix: 'ghp_' })),
  );
  expect(plan.irreversible).toBe(true);
  expect(plan.summary).toMatch(/IRREVERSIBLE.*credential-revocation API.*cannot be undone/);
  for (const t of leaked) expect(JSON.stringify(plan)).not.toContain(t);

  const effects = await action.apply!(plan, ctx);
  expect(effects.tokensRevoked).toBe(150 + 1 + 2);
  const revokeCalls = sandbox.requests.filter((r) => r.operationId === 'orgs/update-pat-accesses');
  expect(revokeCalls).toHaveLength(2);
  expect([...sandbox.state.personalAccessTokens.values()].filter((p) => p.revoked).map((p) => p.id)).toHaveLength(150);
  expect(sandbox.state.personalAccessTokens.get(999)!.revoked).toBeFalsy();
  expect(sandbox.state.revokedCredentials).toEqual(leaked);
  expect(sandbox.state.orgRunners.size).toBe(0);
  expect(JSON.stringify(effects)).not.toContain(leaked[0]);
  expect(sandbox.validationFailures).toEqual([]);

  // A retry: keys and runners already gone are reported, nothing fails.
  const again = await action.apply!(plan, ctx);
  expect(again.alreadyGone).toHaveLength(3);
});
