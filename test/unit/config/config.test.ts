import { loadConfig } from '../../../config/config';

describe('loadConfig', () => {
  it('fills defaults from an empty environment', () => {
    const c = loadConfig({}, '/srv');
    expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'cordon' });
    expect(c.drillLedger).toBe('/srv/.cordon/drill-ledger.jsonl');
    expect(c.github).toBeUndefined();
    expect(c.pypi).toEqual({ url: 'https://pypi.org' });
    expect(c.crates).toEqual({ indexUrl: 'https://index.crates.io', apiUrl: 'https://crates.io' });
  });

  it('reads the registries pin pull requests use, and names a malformed one', () => {
    const c = loadConfig({
      PYPI_URL: 'https://pypi.internal.example',
      PYPI_TOKEN: 'pypi-token',
      CRATES_INDEX_URL: 'https://crates.internal.example/index',
      CRATES_API_URL: 'https://crates.internal.example',
      CRATES_TOKEN: 'crates-token',
    });
    expect(c.pypi).toEqual({ url: 'https://pypi.internal.example', token: 'pypi-token' });
    expect(c.crates).toEqual({
      indexUrl: 'https://crates.internal.example/index',
      apiUrl: 'https://crates.internal.example',
      token: 'crates-token',
    });
    expect(() => loadConfig({ PYPI_URL: 'pypi.org' })).toThrow(/^configuration: PYPI_URL: /);
    expect(() => loadConfig({ CRATES_INDEX_URL: 'index.crates.io' })).toThrow(/^configuration: CRATES_INDEX_URL: /);
  });

  it('reads approver groups from JSON and refuses a malformed map with the path of the problem', () => {
    expect(loadConfig({ CORDON_APPROVER_GROUPS: '{"oncall":["U1","U2"]}' }).approverGroups).toEqual({
      oncall: ['U1', 'U2'],
    });
    expect(() => loadConfig({ CORDON_APPROVER_GROUPS: '{"oncall":[]}' })).toThrow(/approver groups: oncall: /);
    expect(() => loadConfig({ CORDON_APPROVER_GROUPS: '{oncall' })).toThrow(/configuration: approver groups: /);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^configuration: LOG_LEVEL: /);
    expect(() => loadConfig({ GITHUB_API_URL: 'http://127.0.0.1:1' })).toThrow(
      /GITHUB_API_URL is set but GITHUB_TOKEN is not/,
    );
  });
});

describe('loadConfig: payload encryption keys', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k2 = Buffer.alloc(32, 2).toString('base64');

  it('leaves payloads unencrypted when no key is configured', () => {
    expect(loadConfig({}).codec).toBeUndefined();
  });

  it('reads several keys and the active one; a single key is active by default', () => {
    const c = loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ k1, k2 }), CORDON_CODEC_ACTIVE_KEY: 'k2' });
    expect(c.codec?.activeKeyId).toBe('k2');
    expect(c.codec?.keys).toEqual({ k1: Buffer.alloc(32, 1), k2: Buffer.alloc(32, 2) });
    expect(loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ k1 }) }).codec?.activeKeyId).toBe('k1');
  });

  it('refuses a key of the wrong length naming its id, never printing the key', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const run = () => loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ k1, weak: short }) });
    expect(run).toThrow('configuration: CORDON_CODEC_KEYS: key "weak" must be 32 bytes encoded as base64');
    expect(() => loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ odd: 'not base64!' }) })).toThrow(/key "odd" must/);
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });

  it('refuses malformed JSON without echoing its text (it would be key material)', () => {
    const keys = `{"k1": "${k1}"`;
    expect(() => loadConfig({ CORDON_CODEC_KEYS: keys })).toThrow(/^configuration: CORDON_CODEC_KEYS: not valid JSON/);
    try {
      loadConfig({ CORDON_CODEC_KEYS: keys });
    } catch (err) {
      expect((err as Error).message).not.toContain(k1.slice(0, 8));
    }
  });

  it('refuses an active key that is not listed, several keys without an active one, and a bad key id', () => {
    expect(() => loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ k1 }), CORDON_CODEC_ACTIVE_KEY: 'k3' })).toThrow(
      'configuration: CORDON_CODEC_ACTIVE_KEY: "k3" is not a key id in CORDON_CODEC_KEYS',
    );
    expect(() => loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ k1, k2 }) })).toThrow(
      /CORDON_CODEC_ACTIVE_KEY: required when CORDON_CODEC_KEYS lists several keys/,
    );
    expect(() => loadConfig({ CORDON_CODEC_ACTIVE_KEY: 'k1' })).toThrow(/CORDON_CODEC_KEYS is not/);
    expect(() => loadConfig({ CORDON_CODEC_KEYS: JSON.stringify({ 'a b': k1 }) })).toThrow(
      /CORDON_CODEC_KEYS: key id "a b": use 1-64 characters/,
    );
    expect(() => loadConfig({ CORDON_CODEC_KEYS: '{}' })).toThrow(/CORDON_CODEC_KEYS: lists no key/);
  });
});
