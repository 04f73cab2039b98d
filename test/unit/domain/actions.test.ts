import type { z } from 'zod';
import { createIncidentActivities } from '../../../activities/incident';
import type { ActionContext } from '../../../activities/types';
import { DEFAULT_ACTIONS } from '../../../domain/actions';

const ctx: ActionContext = { incidentId: 'incident-t', stepId: 's', idempotencyKey: 'incident-t/s', drill: true };

/** Every top-level field of `value` is declared by the object schema `schema`, and the schema accepts it. */
function expectExactly(schema: z.ZodType | undefined, value: unknown): void {
  expect(schema).toBeDefined();
  const shape = (schema as z.ZodObject).shape as Record<string, unknown>;
  expect(Object.keys(value as object).sort()).toEqual(Object.keys(shape).sort());
  expect(schema!.safeParse(value).success).toBe(true);
}

describe('action catalogue schemas', () => {
  it('declares an input and an output schema for every action', () => {
    for (const [name, spec] of Object.entries(DEFAULT_ACTIONS)) {
      expect([name, typeof spec.input, typeof spec.output]).toEqual([name, 'object', 'object']);
    }
  });

  it('describes exactly what the incident actions return', async () => {
    const handlers = createIncidentActivities() as Record<
      string,
      { run(input: unknown, c: ActionContext): Promise<unknown> }
    >;
    const declared = await handlers['incident.declare']!.run(
      {
        org: 'acme',
        packages: [{ ecosystem: 'npm', name: 'axios', versions: ['1.14.1'], ranges: [] }],
        since: '2026-03-31T00:00:00Z',
      },
      ctx,
    );
    expectExactly(DEFAULT_ACTIONS['incident.declare']!.output, declared);
    const report = await handlers['incident.report']!.run({ exposure: {}, ci: {} }, ctx);
    expectExactly(DEFAULT_ACTIONS['incident.report']!.output, report);
  });

  it('names the inputs the actions of the shipped playbook read', () => {
    expect(Object.keys(DEFAULT_ACTIONS['github.disableWorkflows']!.input!.shape)).toEqual(['targets']);
    expect(Object.keys(DEFAULT_ACTIONS['notify.sendPackets']!.input!.shape)).toEqual(['targets']);
  });
});
