import { AesGcmPayloadCodec } from '../../codec/codec';
import { startCodecServer } from '../../codec/http-server';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { parseFlags } from '../../client/args';
import type { Command } from '../io';

/**
 * `cordon codec-server [--port N] [--host H] [--cors-origin URL]`: decrypts and encrypts payloads over HTTP for the
 * Temporal Web UI, the Temporal CLI and auditors, with the keys of CORDON_CODEC_KEYS, until Ctrl-C.
 */
export const codecServerCommand: Command = async (args, io) => {
  const { values } = parseFlags(
    args,
    { port: { type: 'string' }, host: { type: 'string' }, 'cors-origin': { type: 'string' } },
    false,
  );
  const config = loadConfig(io.env, io.cwd);
  if (!config.codec)
    throw new UserError('no keys to serve: set CORDON_CODEC_KEYS (and CORDON_CODEC_ACTIVE_KEY)', ErrorCode.Usage);
  const token = io.env.CORDON_CODEC_SERVER_TOKEN;
  if (!token || token.length < 16) {
    throw new UserError(
      'set CORDON_CODEC_SERVER_TOKEN (16+ characters): callers send it as a bearer token',
      ErrorCode.Usage,
    );
  }
  const port = Number(values.port ?? 8081);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port: not a port: ${values.port}`);
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(config.codec),
    token,
    port,
    ...(values.host ? { host: values.host } : {}),
    ...(values['cors-origin'] ? { corsOrigin: values['cors-origin'] } : {}),
  });
  io.stderr.write(
    `cordon codec-server: ${server.url} (active key "${config.codec.activeKeyId}"${values['cors-origin'] ? `, CORS for ${values['cors-origin']}` : ''})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
};
