import { actionActivities, missingHandlers, reachOf } from '../../../activities/registry';
import { DEFAULT_ACTIONS } from '../../../domain/actions';
import { loadConfig } from '../../../config/config';
import { defaultHandlers } from '../../../worker/handlers';
import { createLogger } from '../../../config/logger';

describe('defaultHandlers', () => {
  it.each([
    ['without GitHub configured', {}],
    ['with GitHub configured', { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_TOKEN: 'ghp_x' }],
  ])('serves every action of the catalog %s', (_name, env) => {
    const handlers = defaultHandlers(
      loadConfig({ ...env, CORDON_STATE_DIR: '/tmp/cordon-handlers-test' }),
      createLogger('silent'),
    );
    expect(missingHandlers(DEFAULT_ACTIONS, handlers)).toEqual([]);
  });

  it('names catalog actions a handler set cannot serve', () => {
    expect(
      missingHandlers(
        {
          'a.read': { mutates: false, implementation: 'real', description: '' },
          'a.change': { mutates: true, implementation: 'real', description: '' },
          'a.undoOnly': { mutates: true, implementation: 'real', description: '' },
        },
        {
          'a.read': { plan: async () => ({ summary: '', items: [], irreversible: false }) },
          'a.undoOnly': { undo: async () => ({}) },
        },
      ),
    ).toEqual(['a.read', 'a.change']);
  });
});

describe('what the wired handlers reach', () => {
  const handlersFor = (env: Record<string, string>) =>
    defaultHandlers(loadConfig({ ...env, CORDON_STATE_DIR: '/tmp/cordon-handlers-test' }), createLogger('silent'));
  const ctx = (drill: boolean) => ({ incidentId: 'i', stepId: 's', idempotencyKey: 'incident-i/s', drill });

  it('says which systems are missing, from the catalogue, for the handlers built from configuration', () => {
    const handlers = handlersFor({});
    expect(reachOf(handlers['github.listRepos'])?.systems).toEqual([
      { system: 'github', configured: false, hint: expect.stringMatching(/^set GITHUB_TOKEN/) },
    ]);
    expect(reachOf(handlers['aws.rotateAccessKeys'])?.systems.map((s) => [s.system, s.configured])).toEqual([
      ['aws', false],
      ['github', false],
    ]);
    expect(reachOf(handlers['notify.sendPackets'])?.systems.map((s) => [s.system, s.configured])).toEqual([
      ['smtp', false],
    ]);
    // The incident's own actions call nothing outside cordon.
    expect(reachOf(handlers['incident.declare'])).toBeUndefined();
  });

  it('refuses a drill call to a real GitHub before calling it', async () => {
    const handlers = handlersFor({ GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_TOKEN: 'ghp_x' });
    const list = actionActivities(handlers)['github.listRepos:run']!;
    await expect(list({ ctx: ctx(true), input: { org: 'acme' } })).rejects.toMatchObject({
      type: 'DRILL_REAL_ENDPOINT',
      nonRetryable: true,
      message: 'github.listRepos: a drill may only call sandboxes, and github is https://ghe.example.com/api/v3',
    });
  });

  it('lets a drill call endpoints under CORDON_SANDBOX_URLS', () => {
    const handlers = handlersFor({
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
      GITHUB_TOKEN: 'ghp_x',
      CORDON_SANDBOX_URLS: 'https://ghe.example.com/api',
    });
    const reach = reachOf(handlers['github.listRepos'])!;
    expect(reach.isSandbox('https://ghe.example.com/api/v3')).toBe(true);
    expect(reach.isSandbox('https://api.github.com')).toBe(false);
  });
});
