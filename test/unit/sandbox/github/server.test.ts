import sodium from 'libsodium-wrappers';
import {
  parseOrgSpecYaml,
  sharedOpenApiValidator,
  startGitHubSandbox,
  type GitHubSandbox,
  type OrgSpec,
} from '../../../../sandbox/github';

const TOKEN = 'ghp_sandbox_test';

const ORG: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      createdAt: '2026-01-01T00:00:00Z',
      files: { 'hello.txt': 'hello\n', 'a/b.txt': 'x' },
      dependencyGraph: { packages: [{ ecosystem: 'npm', name: '@mastra/core', version: '1.42.1' }] },
      workflows: [{ id: 1, path: '.github/workflows/ci.yml', name: 'ci' }],
      runs: [
        { id: 11, workflowId: 1, createdAt: '2026-06-16T23:59:59Z' },
        { id: 12, workflowId: 1, createdAt: '2026-06-17T00:00:00Z', artifacts: [{ id: 501, name: 'dist' }] },
        { id: 13, workflowId: 1, createdAt: '2026-06-17T12:00:00Z', status: 'in_progress' },
        { id: 14, workflowId: 1, createdAt: '2026-06-18T00:00:00Z', conclusion: 'failure' },
      ],
      secrets: [{ name: 'NPM_TOKEN', value: 'seeded' }],
      environments: [{ name: 'production', secrets: [{ name: 'DEPLOY_TOKEN' }] }],
      caches: [{ id: 71, key: 'npm-linux-abc' }],
      deployments: [{ id: 81, sha: 'abc', runId: 12, statuses: [{ id: 811, state: 'success' }] }],
      releases: [{ id: 91, tagName: 'v1.0.0' }],
      deployKeys: [{ id: 61, title: 'ci', key: 'ssh-ed25519 AAAA' }],
    },
    { name: 'docs', visibility: 'public', files: { 'README.md': '# docs\n' } },
    { name: 'empty' },
  ],
  secrets: [{ name: 'ORG_TOKEN', visibility: 'selected', selectedRepositories: ['web'] }],
  runners: [{ id: 9, name: 'org-runner', createdAt: '2026-06-17T01:00:00Z' }],
  personalAccessTokens: [{ id: 31, tokenId: 3101, tokenName: 'deploy', ownerLogin: 'octocat' }],
  treeTruncationLimit: 2,
};

let sandbox: GitHubSandbox;

async function gh(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; accept?: string } = {},
): Promise<{ status: number; headers: Headers; json: () => unknown; text: string }> {
  const res = await fetch(`${path.startsWith('http') ? '' : sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? TOKEN}` }),
      accept: init.accept ?? 'application/vnd.github+json',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: () => JSON.parse(text) as unknown, text };
}

beforeEach(async () => {
  sandbox = await startGitHubSandbox({ org: ORG, tokens: [TOKEN] });
});

afterEach(async () => {
  await sandbox.stop();
});

describe('OpenAPI validation', () => {
  it('answers an unknown route 404 in GitHub error shape and records it as a validation failure', async () => {
    const res = await gh('/repos/acme/web/not-a-route');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
    expect(sandbox.validationFailures).toEqual([
      expect.objectContaining({ kind: 'request', method: 'GET', path: '/repos/acme/web/not-a-route', status: 404 }),
    ]);
  });

  it('rejects a query parameter of the wrong type with 422 and records it', async () => {
    const res = await gh('/orgs/acme/repos?per_page=lots');
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      message: expect.stringContaining('/per_page must be integer'),
      documentation_url: 'https://docs.github.com/rest/repos/repos#list-organization-repositories',
    });
    expect(sandbox.validationFailures).toEqual([
      expect.objectContaining({ operationId: 'repos/list-for-org', status: 422 }),
    ]);
  });

  it('rejects a body that breaks the operation schema, and JSON that does not parse', async () => {
    const missing = await gh('/repos/acme/web/actions/secrets/X', {
      method: 'PUT',
      body: { encrypted_value: 'c2VjcmV0' },
    });
    expect(missing.status).toBe(422);
    expect(missing.json()).toMatchObject({ message: expect.stringContaining("required property 'key_id'") });
    const notBase64 = await gh('/repos/acme/web/actions/secrets/X', {
      method: 'PUT',
      body: { encrypted_value: '***', key_id: '1' },
    });
    expect(notBase64.status).toBe(422);
    const garbled = await gh('/repos/acme/web/actions/secrets/X', { method: 'PUT', body: '{"encrypted_value":' });
    expect(garbled.status).toBe(400);
    expect(garbled.json()).toMatchObject({ message: 'Problems parsing JSON' });
    expect(sandbox.validationFailures.map((f) => f.status)).toEqual([422, 422, 400]);
  });

  it('accepts the date-range syntax GitHub documents for `created`, though the schema says date-time', async () => {
    for (const created of [
      '>=2026-06-17',
      '2026-06-17T00:00:00Z..2026-06-17T23:59:59Z',
      '<2026-06-18',
      '*..2026-06-18',
    ]) {
      expect((await gh(`/repos/acme/web/actions/runs?created=${encodeURIComponent(created)}`)).status).toBe(200);
    }
    expect((await gh('/repos/acme/web/actions/runs?created=yesterday')).status).toBe(422);
    expect(sandbox.validationFailures).toHaveLength(1);
  });

  it('serves responses that conform to the description (the sandbox checks each one it sends)', async () => {
    const reads = [
      '/orgs/acme/repos',
      '/repos/acme/web',
      '/repos/acme/web/git/trees/main?recursive=1',
      '/repos/acme/web/contents/a',
      '/repos/acme/web/contents/hello.txt',
      '/repos/acme/web/dependency-graph/sbom',
      '/repos/acme/web/actions/runs',
      '/repos/acme/web/actions/runs/12',
      '/repos/acme/web/actions/runs/12/jobs',
      '/repos/acme/web/actions/workflows',
      '/repos/acme/web/actions/workflows/ci.yml',
      '/repos/acme/web/actions/runs/12/artifacts',
      '/repos/acme/web/actions/artifacts',
      '/repos/acme/web/actions/caches',
      '/orgs/acme/actions/runners',
      '/repos/acme/web/actions/runners',
      '/repos/acme/web/actions/secrets',
      '/repos/acme/web/actions/secrets/NPM_TOKEN',
      '/repos/acme/web/actions/organization-secrets',
      '/repos/acme/web/environments',
      '/repos/acme/web/environments/production/secrets',
      '/orgs/acme/actions/secrets',
      '/orgs/acme/actions/secrets/ORG_TOKEN/repositories',
      '/repos/acme/web/deployments',
      '/repos/acme/web/deployments/81/statuses',
      '/repos/acme/web/releases',
      '/repos/acme/web/keys',
      '/orgs/acme/personal-access-tokens',
      '/repos/acme/web/git/ref/heads/main',
    ];
    for (const path of reads) expect([path, (await gh(path)).status]).toEqual([path, 200]);
    expect(sandbox.validationFailures).toEqual([]);
  });
});

describe('git data', () => {
  it('computes real git SHAs, so trees and commits match what git itself writes', async () => {
    const ref = (await gh('/repos/acme/web/git/ref/heads/main')).json() as { object: { sha: string } };
    // `git commit` of hello.txt + a/b.txt by sandbox <sandbox@cordon.invalid> at 2026-01-01T00:00:00Z.
    expect(ref.object.sha).toBe('2ccaca3621a0d823e9a95f1c28b1f795387b6385');
    const tree = (await gh('/repos/acme/web/git/trees/main')).json() as {
      sha: string;
      tree: Array<{ path: string; sha: string }>;
    };
    expect(tree.sha).toBe('494d921fbd49c8f406e2ef9f8e47adbc73d78999');
    expect(tree.tree.find((e) => e.path === 'hello.txt')?.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('cuts a recursive tree over the limit and marks it truncated; non-recursive lists one level', async () => {
    const recursive = (await gh('/repos/acme/web/git/trees/main?recursive=1')).json() as {
      truncated: boolean;
      tree: unknown[];
    };
    expect(recursive.truncated).toBe(true);
    expect(recursive.tree).toHaveLength(2);
    const flat = (await gh('/repos/acme/web/git/trees/main')).json() as {
      truncated: boolean;
      tree: Array<{ path: string; type: string }>;
    };
    expect(flat.truncated).toBe(false);
    expect(flat.tree.map((e) => `${e.type}:${e.path}`)).toEqual(['tree:a', 'blob:hello.txt']);
  });

  it('serves contents as wrapped base64 JSON, or raw bytes with the raw media type', async () => {
    const json = (await gh('/repos/acme/web/contents/hello.txt')).json() as { content: string; encoding: string };
    expect(json).toMatchObject({ encoding: 'base64', content: 'aGVsbG8K\n' });
    const raw = await gh('/repos/acme/web/contents/hello.txt', { accept: 'application/vnd.github.raw+json' });
    expect(raw.text).toBe('hello\n');
    const blob = await gh('/repos/acme/web/git/blobs/ce013625030ba8dba906f756967f9e9ca394464a', {
      accept: 'application/vnd.github.raw+json',
    });
    expect(blob.text).toBe('hello\n');
  });

  it('answers 409 for the tree of an empty repository, as GitHub does', async () => {
    const res = await gh('/repos/acme/empty/git/trees/main?recursive=1');
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ message: 'Git Repository is empty.' });
  });

  it('opens a pull request that changes a file: branch, contents PUT, pull', async () => {
    const main = (await gh('/repos/acme/web/git/ref/heads/main')).json() as { object: { sha: string } };
    expect(
      (
        await gh('/repos/acme/web/git/refs', {
          method: 'POST',
          body: { ref: 'refs/heads/cordon/pin', sha: main.object.sha },
        })
      ).status,
    ).toBe(201);
    const current = (await gh('/repos/acme/web/contents/hello.txt?ref=cordon/pin')).json() as { sha: string };
    const put = await gh('/repos/acme/web/contents/hello.txt', {
      method: 'PUT',
      body: {
        message: 'pin',
        content: Buffer.from('pinned\n').toString('base64'),
        sha: current.sha,
        branch: 'cordon/pin',
      },
    });
    expect(put.status).toBe(200);
    const pr = await gh('/repos/acme/web/pulls', {
      method: 'POST',
      body: { title: 'Pin', head: 'cordon/pin', base: 'main' },
    });
    expect(pr.status).toBe(201);
    expect(
      (await gh('/repos/acme/web/contents/hello.txt?ref=cordon/pin', { accept: 'application/vnd.github.raw+json' }))
        .text,
    ).toBe('pinned\n');
    expect((await gh('/repos/acme/web/contents/hello.txt', { accept: 'application/vnd.github.raw+json' })).text).toBe(
      'hello\n',
    );
    const closed = await gh('/repos/acme/web/pulls/1', { method: 'PATCH', body: { state: 'closed' } });
    expect(closed.json()).toMatchObject({ state: 'closed', number: 1 });
    expect(sandbox.validationFailures).toEqual([]);
  });
});

describe('pagination', () => {
  it('formats `link` like GitHub: prev, next, last, first, with repository ids, and the links work', async () => {
    const page2 = await gh('/repos/acme/web/actions/runs?per_page=1&page=2');
    const base = `${sandbox.url}/repositories/1000001/actions/runs`;
    expect(page2.headers.get('link')).toBe(
      `<${base}?per_page=1&page=1>; rel="prev", <${base}?per_page=1&page=3>; rel="next", ` +
        `<${base}?per_page=1&page=4>; rel="last", <${base}?per_page=1&page=1>; rel="first"`,
    );
    const last = await gh(`${base}?per_page=1&page=4`);
    expect(last.status).toBe(200);
    expect((last.json() as { workflow_runs: Array<{ id: number }> }).workflow_runs.map((r) => r.id)).toEqual([11]);
    expect(last.headers.get('link')).toBe(
      `<${base}?per_page=1&page=3>; rel="prev", <${base}?per_page=1&page=1>; rel="first"`,
    );
    expect(sandbox.requests.at(-1)).toMatchObject({
      operationId: 'actions/list-workflow-runs-for-repo',
      repo: 'acme/web',
    });
    expect(sandbox.validationFailures).toEqual([]);
  });
});

describe('workflow runs', () => {
  const ids = async (query: string) =>
    (
      (await gh(`/repos/acme/web/actions/runs?${query}`)).json() as { workflow_runs: Array<{ id: number }> }
    ).workflow_runs.map((r) => r.id);

  it('filters by created range (inclusive), comparison, and status or conclusion', async () => {
    expect(await ids(`created=${encodeURIComponent('2026-06-17T00:00:00Z..2026-06-18T00:00:00Z')}`)).toEqual([
      14, 13, 12,
    ]);
    expect(await ids(`created=${encodeURIComponent('<2026-06-17')}`)).toEqual([11]);
    expect(await ids('created=2026-06-17')).toEqual([13, 12]);
    expect(await ids('status=in_progress')).toEqual([13]);
    expect(await ids('status=failure')).toEqual([14]);
  });

  it('returns at most 1,000 runs to a filtered search while total_count says how many matched', async () => {
    const many = await startGitHubSandbox({
      org: {
        name: 'big',
        repos: [
          {
            name: 'busy',
            workflows: [{ id: 1, path: '.github/workflows/ci.yml' }],
            runs: Array.from({ length: 1010 }, (_, i) => ({
              id: i + 1,
              workflowId: 1,
              createdAt: new Date(Date.UTC(2026, 5, 17, 0, 0, i)).toISOString(),
            })),
          },
        ],
      },
      tokens: [TOKEN],
      validateResponses: false,
    });
    const res = await fetch(`${many.url}/repos/big/busy/actions/runs?created=2026-06-17&per_page=100&page=11`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    const body = (await res.json()) as { total_count: number; workflow_runs: unknown[] };
    expect(body.total_count).toBe(1010);
    expect(body.workflow_runs).toEqual([]);
    await many.stop();
  });

  it('cancels an in-progress run (202) and refuses a completed one (409)', async () => {
    expect((await gh('/repos/acme/web/actions/runs/13/cancel', { method: 'POST' })).status).toBe(202);
    expect(sandbox.state.repo('acme', 'web')?.runs.get(13)).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
    });
    expect((await gh('/repos/acme/web/actions/runs/12/cancel', { method: 'POST' })).status).toBe(409);
  });

  it('disables and enables workflows, deletes logs, artifacts and caches', async () => {
    expect((await gh('/repos/acme/web/actions/workflows/1/disable', { method: 'PUT' })).status).toBe(204);
    expect(sandbox.state.repo('acme', 'web')?.workflows.get(1)?.state).toBe('disabled_manually');
    expect((await gh('/repos/acme/web/actions/workflows/ci.yml/enable', { method: 'PUT' })).status).toBe(204);
    expect(sandbox.state.repo('acme', 'web')?.workflows.get(1)?.state).toBe('active');
    const logs = await gh('/repos/acme/web/actions/runs/12/logs');
    expect(logs.status).toBe(302);
    expect(logs.headers.get('location')).toMatch(/\/_blob\/logs\//);
    expect((await gh('/repos/acme/web/actions/runs/12/logs', { method: 'DELETE' })).status).toBe(204);
    expect((await gh('/repos/acme/web/actions/runs/12/logs')).status).toBe(404);
    expect((await gh('/repos/acme/web/actions/artifacts/501', { method: 'DELETE' })).status).toBe(204);
    expect((await gh('/repos/acme/web/actions/caches?key=npm-linux-abc', { method: 'DELETE' })).json()).toMatchObject({
      total_count: 1,
    });
    expect((await gh('/orgs/acme/actions/runners/9', { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.state.orgRunners.size).toBe(0);
    expect(sandbox.validationFailures).toEqual([]);
  });
});

describe('auth and rate limits', () => {
  it('refuses a missing or unknown token with 401', async () => {
    expect((await gh('/orgs/acme/repos', { token: null })).status).toBe(401);
    const bad = await gh('/orgs/acme/repos', { token: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('sends the x-ratelimit headers, counting down per request', async () => {
    const first = await gh('/orgs/acme/repos');
    const second = await gh('/orgs/acme/repos');
    expect(first.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(second.headers.get('x-ratelimit-remaining')).toBe('4998');
    expect(second.headers.get('x-ratelimit-used')).toBe('2');
    expect(second.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(second.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(second.headers.get('x-github-request-id')).toMatch(/\S+/);
  });

  it('injects a primary limit: every request fails with remaining 0 until the announced reset', async () => {
    // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
    const rule = sandbox.injectRateLimit({ kind: 'primary', match: 'repos/get', resetAfterMs: 60_000 });
    expect((await gh('/orgs/acme/repos')).status).toBe(200);
    const limited = await gh('/repos/acme/web');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 59);
    expect(limited.json()).toMatchObject({ message: expect.stringContaining('API rate limit exceeded') });
    // The quota is spent for every route, not just the one that tripped it.
    expect((await gh('/orgs/acme/repos')).status).toBe(403);
    expect(rule.triggered).toBe(1);
  });

  it('lifts a primary limit at the reset time (clock injected, no sleeping)', async () => {
    let now = Date.parse('2026-06-17T00:00:00Z');
    const clocked = await startGitHubSandbox({ org: ORG, tokens: [TOKEN], now: () => new Date(now) });
    const get = () => fetch(`${clocked.url}/orgs/acme/repos`, { headers: { authorization: `token ${TOKEN}` } });
    clocked.injectRateLimit({ kind: 'primary', resetAfterMs: 1500 });
    const limited = await get();
    expect(limited.status).toBe(403);
    const reset = Number(limited.headers.get('x-ratelimit-reset')) * 1000;
    now = reset - 1;
    expect((await get()).status).toBe(403);
    now = reset;
    const after = await get();
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4999');
    await clocked.stop();
  });

  it('injects 429 primary limits too', async () => {
    sandbox.injectRateLimit({ kind: 'primary', status: 429, resetAfterMs: 60_000 });
    const res = await gh('/orgs/acme/repos');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('injects secondary limits on every Kth matching request, with retry-after', async () => {
    const rule = sandbox.injectRateLimit({
      kind: 'secondary',
      every: 2,
      count: 2,
      retryAfterSeconds: 3,
      match: /^GET \/orgs\//,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await gh('/orgs/acme/repos');
      statuses.push(res.status);
      if (res.status === 403) {
        expect(res.headers.get('retry-after')).toBe('3');
        expect(res.json()).toMatchObject({ message: expect.stringContaining('secondary rate limit') });
      }
    }
    expect(statuses).toEqual([200, 403, 200, 403, 200, 200]);
    expect(rule.triggered).toBe(2);
  });
});

describe('secrets', () => {
  async function seal(publicKeyPath: string, plaintext: string): Promise<{ encrypted_value: string; key_id: string }> {
    await sodium.ready;
    const key = (await gh(publicKeyPath)).json() as { key_id: string; key: string };
    const box = sodium.crypto_box_seal(plaintext, sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL));
    return { encrypted_value: sodium.to_base64(box, sodium.base64_variants.ORIGINAL), key_id: key.key_id };
  }

  it('decrypts a sealed-box PUT so tests can read back the plaintext: 201 on create, 204 on update', async () => {
    // https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
    const created = await gh('/repos/acme/web/actions/secrets/AWS_SECRET_ACCESS_KEY', {
      method: 'PUT',
      body: await seal('/repos/acme/web/actions/secrets/public-key', 'wJalrXUtnFEMI/K7MDENG'),
    });
    expect(created.status).toBe(201);
    expect(sandbox.secretValue({ repo: 'web' }, 'AWS_SECRET_ACCESS_KEY')).toBe('wJalrXUtnFEMI/K7MDENG');
    const updated = await gh('/repos/acme/web/actions/secrets/NPM_TOKEN', {
      method: 'PUT',
      body: await seal('/repos/acme/web/actions/secrets/public-key', 'rotated'),
    });
    expect(updated.status).toBe(204);
    expect(sandbox.secretValue({ repo: 'web' }, 'NPM_TOKEN')).toBe('rotated');
    const listed = (await gh('/repos/acme/web/actions/secrets')).json() as { secrets: Array<Record<string, unknown>> };
    expect(listed.secrets.map((s) => s.name)).toEqual(['AWS_SECRET_ACCESS_KEY', 'NPM_TOKEN']);
    expect(JSON.stringify(listed)).not.toContain('rotated');
  });

  it('keeps a key per scope: environment and organisation secrets decrypt with their own keys', async () => {
    const env = await gh('/repos/acme/web/environments/production/secrets/DEPLOY_TOKEN', {
      method: 'PUT',
      body: await seal('/repos/acme/web/environments/production/secrets/public-key', 'env-value'),
    });
    expect(env.status).toBe(204);
    expect(sandbox.secretValue({ repo: 'web', environment: 'production' }, 'DEPLOY_TOKEN')).toBe('env-value');
    const org = await gh('/orgs/acme/actions/secrets/NEW_ORG', {
      method: 'PUT',
      body: {
        ...(await seal('/orgs/acme/actions/secrets/public-key', 'org-value')),
        visibility: 'selected',
        selected_repository_ids: [1000001],
      },
    });
    expect(org.status).toBe(201);
    expect(sandbox.secretValue({ org: true }, 'NEW_ORG')).toBe('org-value');
    const repoKeyBox = await seal('/repos/acme/web/actions/secrets/public-key', 'x');
    const wrongScope = await gh('/orgs/acme/actions/secrets/NEW_ORG', {
      method: 'PUT',
      body: { ...repoKeyBox, visibility: 'all' },
    });
    expect(wrongScope.status).toBe(422);
  });
});

describe('credentials, deployments, releases', () => {
  it('revokes PATs and deploy keys, records credential revocations, and rolls deployments and releases', async () => {
    expect(
      (await gh('/orgs/acme/personal-access-tokens', { method: 'POST', body: { action: 'revoke', pat_ids: [31] } }))
        .status,
    ).toBe(202);
    expect((await gh('/orgs/acme/personal-access-tokens')).json()).toEqual([]);
    expect((await gh('/repos/acme/web/keys/61', { method: 'DELETE' })).status).toBe(204);
    expect((await gh('/credentials/revoke', { method: 'POST', body: { credentials: ['ghp_leaked'] } })).status).toBe(
      202,
    );
    expect(sandbox.state.revokedCredentials).toEqual(['ghp_leaked']);
    const status = await gh('/repos/acme/web/deployments/81/statuses', { method: 'POST', body: { state: 'inactive' } });
    expect(status.status).toBe(201);
    const deployed = await gh('/repos/acme/web/deployments', {
      method: 'POST',
      body: { ref: 'main', environment: 'production' },
    });
    expect(deployed.status).toBe(201);
    expect((await gh('/repos/acme/web/releases/91', { method: 'PATCH', body: { draft: true } })).json()).toMatchObject({
      draft: true,
    });
    expect((await gh('/repos/acme/web/releases/91', { method: 'DELETE' })).status).toBe(204);
    expect(sandbox.validationFailures).toEqual([]);
  });
});

describe('spec loading', () => {
  it('loads an organisation from YAML with defaults filled in', () => {
    const spec = parseOrgSpecYaml(
      [
        'name: acme',
        'repos:',
        '  - name: api',
        '    files:',
        '      package-lock.json: "{}"',
        '    secrets:',
        '      - name: NPM_TOKEN',
      ].join('\n'),
    );
    expect(spec.repos[0]).toMatchObject({
      name: 'api',
      defaultBranch: 'main',
      visibility: 'private',
      files: { 'package-lock.json': '{}' },
    });
    expect(() => parseOrgSpecYaml('name: "not valid!"')).toThrow(/invalid sandbox organisation/);
  });

  it('loads the OpenAPI description once per process', () => {
    expect(sharedOpenApiValidator()).toBe(sharedOpenApiValidator());
  });
});
