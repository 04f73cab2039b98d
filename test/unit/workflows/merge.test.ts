import { batches, mergeBatchResults } from '../../../workflows/merge';

describe('fan-out helpers', () => {
  it('splits into batches of at most the given size', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 3)).toEqual([]);
  });

  it('merges batch results: lists concatenated, counts summed, nested objects merged', () => {
    expect(
      mergeBatchResults([
        { exposedRepos: ['a'], counts: { lockfiles: 2 }, org: 'acme' },
        null,
        { exposedRepos: ['b', 'c'], counts: { lockfiles: 3 }, org: 'acme' },
      ]),
    ).toEqual({ exposedRepos: ['a', 'b', 'c'], counts: { lockfiles: 5 }, org: 'acme' });
    expect(mergeBatchResults([])).toBeNull();
  });
});
