import { packagesFromSpecs } from '../../../client/declare';
import { UserError } from '../../../config/errors';

describe('packagesFromSpecs', () => {
  it('merges the versions of one package named several times, one entry per package', () => {
    expect(packagesFromSpecs(['npm:axios@1.14.1,0.30.4', 'npm:axios@1.14.1', 'npm:@mastra/core@1.42.1'])).toEqual([
      { ecosystem: 'npm', name: 'axios', versions: ['1.14.1', '0.30.4'], ranges: [] },
      { ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'], ranges: [] },
    ]);
  });

  it('refuses a spec without a version as a user error, the same for the CLI and Slack', () => {
    expect(() => packagesFromSpecs(['npm:axios'])).toThrow(UserError);
  });
});
