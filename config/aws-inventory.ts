import { z } from 'zod';

const name = z.string().min(1).max(128);

/** Which half of an access key a secret holds. */
export type KeyField = 'accessKeyId' | 'secretAccessKey';

const entry = z
  .object({
    /** IAM user whose access key the secret holds. */
    user: name.optional(),
    /** IAM role the secret lets a run assume (a role ARN, or web-identity configuration). */
    role: name.optional(),
    /** A person's user: its console login profile is removed when the playbook enables it. */
    human: z.boolean().default(false),
    /** Which half of the key the secret holds; inferred from the name (`…ACCESS_KEY_ID` is the id) when absent. */
    field: z.enum(['accessKeyId', 'secretAccessKey']).optional(),
  })
  .strict()
  .refine((e) => (e.user === undefined) !== (e.role === undefined), {
    message: 'expected exactly one of "user" or "role"',
  });

/**
 * The incident's inventory of cloud identities behind GitHub secrets. Keys are a secret name (`AWS_ACCESS_KEY_ID`,
 * any repository) or `owner/repo:NAME` (that repository's secret, which wins over the bare name).
 */
export const InventorySchema = z
  .object({
    secrets: z.record(z.string().regex(/^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+:)?[A-Za-z0-9_]+$/), entry).default({}),
  })
  .strict();

/** A parsed inventory. */
export type Inventory = z.output<typeof InventorySchema>;
/** One inventory entry. */
export type InventoryEntry = Inventory['secrets'][string];

/** An empty inventory: every secret is then mapped by IAM tags or left for humans. */
export const EMPTY_INVENTORY: Inventory = { secrets: {} };

/**
 * Validates an inventory read from config.
 * @throws Error naming the source and the first bad field.
 */
export function parseInventory(value: unknown, source: string): Inventory {
  const r = InventorySchema.safeParse(value ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new Error(`${source}: ${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** The half of a key a secret named `name` holds when the inventory does not say. */
export function inferField(secretName: string): KeyField {
  return /ACCESS_KEY_ID$|_KEY_ID$/i.test(secretName) ? 'accessKeyId' : 'secretAccessKey';
}
