// Actions for engine tests: a mutable "world" the plan reads and apply/undo change, so tests see exactly what ran.
import { ApplicationFailure } from '@temporalio/common';
import type { ActionCatalog } from '../../domain/actions';
import type { ActionHandlers } from '../../activities/registry';

export interface World {
  /** What `test.change` would change right now (its plan). */
  targets: string[];
  /** Every apply, in order, with the idempotency key it came with. */
  applied: { key: string; items: string[] }[];
  /** Every undo, in order. */
  undone: { key: string; items: string[] }[];
  /** Plans computed (to count re-planning). */
  plans: number;
}

export const newWorld = (targets: string[] = ['a', 'b']): World => ({ targets, applied: [], undone: [], plans: 0 });

export const TEST_CATALOG: ActionCatalog = {
  'test.read': { mutates: false, implementation: 'real', description: 'returns its input' },
  'test.fail': { mutates: false, implementation: 'real', description: 'always fails' },
  'test.change': { mutates: true, undo: 'test.restore', implementation: 'real', description: 'changes world targets' },
  'test.restore': { mutates: true, implementation: 'real', description: 'undoes test.change' },
  'test.burn': { mutates: true, irreversible: true, implementation: 'real', description: 'irreversible change' },
};

export function testActions(world: World): ActionHandlers {
  const change = {
    async plan(input: { targets?: string[] }) {
      world.plans++;
      const items = input.targets ?? world.targets;
      return { summary: `change ${items.length}`, items: [...items], irreversible: false };
    },
    async apply(plan: { items: string[] }, ctx: { idempotencyKey: string }) {
      world.applied.push({ key: ctx.idempotencyKey, items: plan.items });
      return { changed: plan.items };
    },
  };
  return {
    'test.read': { run: async (input: unknown) => input },
    'test.fail': {
      run: async () => {
        throw ApplicationFailure.create({ message: 'boom', nonRetryable: true });
      },
    },
    'test.change': change,
    'test.burn': change,
    'test.restore': {
      async undo(effects: { changed?: string[] }, _input: unknown, ctx: { idempotencyKey: string }) {
        world.undone.push({ key: ctx.idempotencyKey, items: effects.changed ?? [] });
        return { restored: effects.changed ?? [] };
      },
    },
  } as unknown as ActionHandlers;
}
