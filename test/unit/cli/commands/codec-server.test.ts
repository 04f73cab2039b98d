import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../../cli/main';

describe('cordon codec-server', () => {
  const run = async (env: NodeJS.ProcessEnv, flags: string[] = []) => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await runCli(['codec-server', '--port', '0', ...flags], {
      stdout: new PassThrough(),
      stderr,
      cwd: '/tmp',
      env,
    });
    return { code, err };
  };

  it('refuses to start without keys or without a token, in one line, exit 2', async () => {
    expect(await run({})).toEqual({
      code: 2,
      err: expect.stringMatching(/^cordon codec-server: no keys to serve: set CORDON_CODEC_KEYS/),
    });
    const keys = JSON.stringify({ k1: randomBytes(32).toString('base64') });
    expect(await run({ CORDON_CODEC_KEYS: keys })).toEqual({
      code: 2,
      err: expect.stringMatching(/^cordon codec-server: set CORDON_CODEC_SERVER_TOKEN/),
    });
  });

  it('refuses malformed per-user tokens, and a token-free UI origin off loopback, in one line, exit 2', async () => {
    const keys = JSON.stringify({ k1: randomBytes(32).toString('base64') });
    expect(await run({ CORDON_CODEC_KEYS: keys, CORDON_CODEC_SERVER_TOKENS: '{"alice":"short"}' })).toEqual({
      code: 2,
      err: expect.stringMatching(/^cordon codec-server: CORDON_CODEC_SERVER_TOKENS: expected JSON .*\n$/),
    });
    const offLoopback = ['--host', '0.0.0.0', '--cors-origin', 'http://ui.example:8080', '--trust-ui-origin'];
    expect(await run({ CORDON_CODEC_KEYS: keys }, offLoopback)).toEqual({
      code: 2,
      err: expect.stringMatching(/^cordon codec-server: a UI origin may stand in for a token only on loopback/),
    });
  });
});
