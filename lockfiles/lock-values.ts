/** Objects and arrays from parsed lockfile JSON or TOML. */
export type Json = Record<string, unknown>;

/** Whether a parsed value is a plain object (a TOML table, a JSON object). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `[[package]]` tables of a TOML lockfile, or a message saying what is there instead. */
export function packageTables(lock: Json): Json[] | string {
  const packages = lock.package ?? [];
  if (!Array.isArray(packages)) return 'expected [[package]] tables';
  return packages.map((p) => (isObject(p) ? p : {}));
}
