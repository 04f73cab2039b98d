// YAML fixtures for tests: playbooks and obligations files kept as files, so they read (and lint) as YAML.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '../fixtures');

/**
 * The text of a fixture with every `{{key}}` replaced by `values[key]`. `{{…}}` rather than `${…}`, which playbooks
 * use for their own expressions. A placeholder without a value, or a value without a placeholder, fails the test:
 * either means the fixture and the test no longer agree.
 */
function fill(file: string, values: Record<string, string>): string {
  const unused = new Set(Object.keys(values));
  const text = readFileSync(path.join(FIXTURES, file), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${file}: no value for {{${key}}}`);
    unused.delete(key);
    return value;
  });
  if (unused.size > 0) throw new Error(`${file}: no placeholder for ${[...unused].join(', ')}`);
  return text;
}

/** A playbook from test/fixtures/playbooks/<name>.yaml, its `{{key}}` placeholders filled from `values`. */
export function playbookFixture(name: string, values: Record<string, string> = {}): string {
  return fill(`playbooks/${name}.yaml`, values);
}

/** An obligations file from test/fixtures/obligations/<name>.yaml. */
export function obligationsFixture(name: string): string {
  return fill(`obligations/${name}.yaml`, {});
}
