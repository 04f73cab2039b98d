import { missingHandlers, type ActionHandler, type AnyActionHandler } from '../../../activities/registry';
import { actionsOn, DEFAULT_ACTIONS, type ActionCatalog } from '../../../domain/actions';
import { loadConfig } from '../../../config/config';
import { defaultHandlers } from '../../../worker/handlers';
import { createLogger } from '../../../config/logger';
import { notConfigured } from '../../../worker/not-configured';

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

describe('not-configured handlers, derived from the catalog', () => {
  const ctx = { incidentId: 'i', stepId: 's', idempotencyKey: 'k', drill: false };
  const call = (h: AnyActionHandler | undefined): Promise<unknown> | undefined =>
    (h as ActionHandler | undefined)?.run?.({}, ctx) ?? (h as ActionHandler | undefined)?.plan?.({}, ctx);

  it('without GitHub configured, every GitHub action of the catalog fails GITHUB_NOT_CONFIGURED at once', async () => {
    const handlers = defaultHandlers(
      loadConfig({ CORDON_STATE_DIR: '/tmp/cordon-handlers-test' }),
      createLogger('silent'),
    );
    const github = actionsOn(DEFAULT_ACTIONS, 'github');
    // The hand lists this replaced named 15 actions; the catalog is now the only list.
    expect(github).toEqual(
      expect.arrayContaining(['github.listRepos', 'exposure.identifyInstalls', 'github.revokeTokens']),
    );
    expect(github).toHaveLength(15);
    for (const name of github)
      await expect(call(handlers[name])).rejects.toMatchObject({ type: 'GITHUB_NOT_CONFIGURED', nonRetryable: true });
  });

  it('covers an action added to the catalog, with run for a read and plan, apply and undo for a change', async () => {
    const catalog: ActionCatalog = {
      ...DEFAULT_ACTIONS,
      'github.newRead': { system: 'github', mutates: false, implementation: 'real', description: '' },
      'github.newChange': { system: 'github', mutates: true, implementation: 'real', description: '' },
      'other.read': { mutates: false, implementation: 'real', description: '' },
    };
    const handlers = notConfigured(catalog, 'github', { type: 'GITHUB_NOT_CONFIGURED', message: 'set GITHUB_TOKEN' });
    expect(Object.keys(handlers).sort()).toEqual(actionsOn(catalog, 'github').sort());
    expect(Object.keys(handlers['github.newRead']!)).toEqual(['run']);
    expect(Object.keys(handlers['github.newChange']!).sort()).toEqual(['apply', 'plan', 'undo']);
    expect(handlers['other.read']).toBeUndefined();
    expect(missingHandlers(catalog, handlers)).not.toContain('github.newChange');
    await expect(call(handlers['github.newChange'])).rejects.toMatchObject({ message: 'set GITHUB_TOKEN' });
  });

  it('names the system of every action of the default catalog', () => {
    for (const [name, spec] of Object.entries(DEFAULT_ACTIONS))
      expect([name, ['cordon', 'github', 'aws', 'notify'].includes(spec.system)]).toEqual([name, true]);
    expect(actionsOn(DEFAULT_ACTIONS, 'aws')).toEqual([
      'aws.rotateAccessKeys',
      'aws.reactivateAccessKeys',
      'aws.deleteOldAccessKeys',
      'aws.revokeRoleSessions',
      'aws.restoreRoleSessions',
    ]);
  });
});
