import { missingHandlers } from '../../../activities/registry';
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
