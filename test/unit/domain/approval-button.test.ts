import { decodeApprovalRef, encodeApprovalRef } from '../../../domain/approval-button';

const ref = { incidentId: 'incident-acme-axios-1234abcd', stepId: 'disable-workflows', planHash: 'a'.repeat(64) };

describe('approval button values', () => {
  it('round-trips a reference within Slack’s 2,000-character value limit', () => {
    const value = encodeApprovalRef(ref);
    expect(value.length).toBeLessThan(2000);
    expect(decodeApprovalRef(value)).toEqual(ref);
  });

  it.each([undefined, 42, '', 'not json', 'null', '{"i":"x","s":"y"}', `{"i":"x","s":"y","h":"short"}`])(
    'refuses a value that is not one of ours: %p',
    (value) => {
      expect(decodeApprovalRef(value)).toBeUndefined();
    },
  );
});
