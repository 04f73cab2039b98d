import { Connection } from '@temporalio/client';

describe('test harness', () => {
  it('gives every test file one live Temporal dev server with cordon search attributes', async () => {
    const address = process.env.TEMPORAL_ADDRESS;
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const conn = await Connection.connect({ address: address! });
    try {
      const res = await conn.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(res.customAttributes ?? {})).toEqual(
        expect.arrayContaining(['CordonSeverity', 'CordonPackages', 'CordonPhase', 'CordonStatus', 'CordonOrg']),
      );
    } finally {
      await conn.close();
    }
  });
});
