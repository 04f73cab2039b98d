import { AesGcmPayloadCodec } from '../../codec/codec';
import { startCodecServer } from '../../codec/http-server';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { parseFlags } from '../../client/args';
import type { Command } from '../io';

/** Per-user tokens from `CORDON_CODEC_SERVER_TOKENS`: a JSON object, name → token (16+ characters each). */
function perUserTokens(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const entries = parsed && typeof parsed === 'object' ? Object.entries(parsed) : [];
  if (!parsed || entries.some(([, t]) => typeof t !== 'string' || t.length < 16))
    throw new UserError(
      'CORDON_CODEC_SERVER_TOKENS: expected JSON {"name": "token of 16+ characters", …}',
      ErrorCode.Usage,
    );
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * `cordon codec-server [--port N] [--host H] [--cors-origin URL…] [--trust-ui-origin]`: decrypts and encrypts payloads
 * over HTTP for the Temporal Web UI, the Temporal CLI and auditors, with the keys of CORDON_CODEC_KEYS, until Ctrl-C.
 * Callers send CORDON_CODEC_SERVER_TOKEN or their own token from CORDON_CODEC_SERVER_TOKENS; with
 * `--trust-ui-origin` (loopback only) the Web UI at a `--cors-origin` needs none.
 */
export const codecServerCommand: Command = async (args, io) => {
  const { values } = parseFlags(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'trust-ui-origin': { type: 'boolean' },
    },
    false,
  );
  const config = loadConfig(io.env, io.cwd);
  if (!config.codec)
    throw new UserError('no keys to serve: set CORDON_CODEC_KEYS (and CORDON_CODEC_ACTIVE_KEY)', ErrorCode.Usage);
  const token = io.env.CORDON_CODEC_SERVER_TOKEN;
  const tokens = perUserTokens(io.env.CORDON_CODEC_SERVER_TOKENS);
  const trustUiOrigin = values['trust-ui-origin'] ?? false;
  if (token !== undefined && token.length < 16)
    throw new UserError('CORDON_CODEC_SERVER_TOKEN: use 16+ characters', ErrorCode.Usage);
  if (!token && Object.keys(tokens).length === 0 && !trustUiOrigin) {
    throw new UserError(
      'set CORDON_CODEC_SERVER_TOKEN or CORDON_CODEC_SERVER_TOKENS (callers send one as a bearer token), or --trust-ui-origin on loopback',
      ErrorCode.Usage,
    );
  }
  const origins = values['cors-origin'] ?? [];
  const port = Number(values.port ?? 8081);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port: not a port: ${values.port}`);
  const server = await startCodecServer({
    codec: new AesGcmPayloadCodec(config.codec),
    ...(token ? { token } : {}),
    tokens,
    port,
    trustUiOrigin,
    ...(values.host ? { host: values.host } : {}),
    ...(origins.length > 0 ? { corsOrigin: origins } : {}),
  });
  io.stderr.write(
    `cordon codec-server: ${server.url} (active key "${config.codec.activeKeyId}"${origins.length > 0 ? `, CORS for ${origins.join(' ')}${trustUiOrigin ? ' without a token' : ''}` : ''})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
};
