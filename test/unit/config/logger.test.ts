import { Writable } from 'node:stream';
import { loadConfig } from '../../../config/config';
import { createLogger } from '../../../config/logger';

describe('createLogger redaction', () => {
  it('never writes payload encryption keys or the codec server token, as config or as environment', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    const env = { CORDON_CODEC_KEYS: JSON.stringify({ k1: key }), CORDON_CODEC_SERVER_TOKEN: 'tok-0123456789abcdef' };
    const config = loadConfig(env);
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ config }, 'config');
    logger.info(config, 'config at top level');
    logger.info({ env }, 'environment');
    expect(out).toContain('[redacted]');
    expect(out).toContain('"activeKeyId":"k1"');
    for (const secret of [key, Buffer.alloc(32, 9).toString('hex'), 'tok-0123456789abcdef', '"data":[9,9']) {
      expect(out).not.toContain(secret);
    }
  });
});
