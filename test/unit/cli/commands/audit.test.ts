// `cordon audit verify --keys FILE`: the codec keys of a bundle from a file (what the demo writes to demo.keys),
// refused in one line when the file cannot be used; the key itself never appears in a message.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCordon } from '../../../harness/cli';

describe('cordon audit verify --keys', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-keys-'));

  it('refuses a keys file it cannot read, exit 2', async () => {
    expect(await runCordon(['audit', 'verify', 'bundle', '--keys', 'nope.keys'], dir, {})).toEqual({
      code: 2,
      out: '',
      err: 'cordon audit: --keys nope.keys: cannot read (ENOENT)\n',
    });
  });

  it('refuses a key that is not 32 bytes of base64, naming the key id and not the key', async () => {
    writeFileSync(path.join(dir, 'short.keys'), JSON.stringify({ 'demo-1': 'c2hvcnQtc2VjcmV0' }));
    const r = await runCordon(['audit', 'verify', 'bundle', '--keys', 'short.keys'], dir, {});
    expect(r).toEqual({
      code: 2,
      out: '',
      err: 'cordon audit: --keys short.keys: CORDON_CODEC_KEYS: key "demo-1" must be 32 bytes encoded as base64\n',
    });
    expect(r.err).not.toContain('c2hvcnQtc2VjcmV0');
  });
});
