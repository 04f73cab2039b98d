import { INCIDENT_STATUSES } from '../../../domain/search-attributes';
import type { IncidentStatus } from '../../../workflows/definitions';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('incident status search attribute', () => {
  it('lists exactly the statuses an incident can have, so `list --status` accepts each and nothing else', () => {
    // A status added to the workflow and not here fails to compile: `list --status <it>` would be refused.
    const same: Same<(typeof INCIDENT_STATUSES)[number], IncidentStatus> = true;
    expect(same).toBe(true);
    expect(new Set(INCIDENT_STATUSES).size).toBe(INCIDENT_STATUSES.length);
  });
});
