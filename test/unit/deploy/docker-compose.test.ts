// docker-compose.yml cannot run on these machines (no Docker engine); this pins down its shape.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../../domain/search-attributes';

const ROOT = path.resolve(__dirname, '../../..');
const read = (f: string): string => readFileSync(path.join(ROOT, f), 'utf8');

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, Record<string, unknown>>;
  };
  const s = compose.services;

  it('runs Temporal on PostgreSQL with the schema applied by admin-tools, not the deprecated auto-setup image', () => {
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal-schema',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'cordon-worker',
        'cordon-slack',
      ]),
    );
    expect(JSON.stringify(compose)).not.toMatch(/auto-setup/);
    expect(s['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(s.temporal!.image).toMatch(/^temporalio\/server:/);
    expect((s.temporal!.environment as Record<string, string>).DB).toBe('postgres12');
    expect(s.temporal!.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(read('deploy/temporal-schema.sh')).toMatch(
      /update-schema -d \/etc\/temporal\/schema\/postgresql\/v12\/visibility\/versioned/,
    );
  });

  it('registers exactly the search attributes the code uses', () => {
    const script = read('deploy/temporal-setup.sh');
    for (const sa of SEARCH_ATTRIBUTE_FLAGS) expect(script).toContain(sa);
  });

  it('scales workers horizontally on one task queue and builds cordon from the Dockerfile', () => {
    const w = s['cordon-worker']!;
    expect((w.deploy as { replicas: number }).replicas).toBeGreaterThan(1);
    expect((w.environment as Record<string, string>).CORDON_TASK_QUEUE).toBe('cordon');
    expect(w.build).toBe('.');
    expect(read('Dockerfile')).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });
});
