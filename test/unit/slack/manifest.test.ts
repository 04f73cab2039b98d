// The Slack app manifests must let an admin install an app that works: every Web API method cordon calls needs its
// bot scope (https://api.slack.com/methods lists each method's scopes), the slash command the app registers must be
// declared, and interactivity must be on for the approval buttons and modals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The scopes each Web API method needs as cordon uses it (public incident channels, direct messages for packets),
 * from each method's page under https://api.slack.com/methods. A method missing here fails the test: look it up.
 */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.create': ['channels:manage'],
  'conversations.invite': ['channels:manage'],
  'conversations.join': ['channels:join'],
  'conversations.list': ['channels:read'],
  'conversations.history': ['channels:history', 'im:history'],
  'conversations.replies': ['channels:history'],
  'conversations.open': ['im:write'],
  'usergroups.list': ['usergroups:read'],
  'users.list': ['users:read'],
  'views.open': [],
};

interface Manifest {
  features: { slash_commands: { command: string; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Every code path that talks to Slack: the Bolt app, the worker's notices and packet delivery. */
const SLACK_SOURCES = ['slack', 'activities/slack', 'worker'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
const source = SLACK_SOURCES.map((f) => readFileSync(f, 'utf8')).join('\n');
const calledMethods = [
  ...new Set(
    [
      ...source.matchAll(
        /\.(chat|conversations|usergroups|users|views|files|reactions|pins|bookmarks)\.([a-zA-Z]+)\(/g,
      ),
    ].map((m) => `${m[1]}.${m[2]}`),
  ),
].sort();
const commands = [...new Set([...source.matchAll(/app\.command\('([^']+)'/g)].map((m) => m[1]!))];
const interactive = /app\.(action|view|shortcut)\(/.test(source);

const load = (file: string): Manifest => parse(readFileSync(path.join(ROOT, 'slack', file), 'utf8')) as Manifest;

describe.each(['manifest.yaml', 'manifest.socket.yaml'])('%s', (file) => {
  const manifest = load(file);

  it('finds the Web API methods cordon calls (the scan itself works)', () => {
    expect(calledMethods).toEqual(expect.arrayContaining(['chat.postMessage', 'views.open', 'usergroups.list']));
  });

  it.each(calledMethods)('grants the bot scopes %s needs', (method) => {
    const needed = METHOD_SCOPES[method];
    if (!needed) throw new Error(`${method} is called but its scopes are unknown here: add it to METHOD_SCOPES`);
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(needed));
  });

  it('asks for no scope that no call needs', () => {
    const needed = new Set(['commands', ...calledMethods.flatMap((m) => METHOD_SCOPES[m] ?? [])]);
    expect(manifest.oauth_config.scopes.bot.filter((s) => !needed.has(s))).toEqual([]);
  });

  it('declares the slash commands the app registers, and interactivity for its buttons and modals', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(commands.sort());
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
    expect(manifest.settings.interactivity.is_enabled).toBe(interactive);
  });
});

it('the HTTP manifest sends commands and interactions to the path the app serves; the Socket Mode one has no URL', () => {
  const http = load('manifest.yaml');
  const appSource = readFileSync(path.join(ROOT, 'slack', 'app.ts'), 'utf8');
  const endpoint = /endpoints: '([^']+)'/.exec(appSource)?.[1];
  expect(endpoint).toBe('/slack/events');
  expect(http.settings.socket_mode_enabled).toBe(false);
  expect(new URL(http.settings.interactivity.request_url!).pathname).toBe(endpoint);
  for (const c of http.features.slash_commands) expect(new URL(c.url!).pathname).toBe(endpoint);

  const socket = load('manifest.socket.yaml');
  expect(socket.settings.socket_mode_enabled).toBe(true);
  expect(socket.settings.interactivity.request_url).toBeUndefined();
  expect(socket.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
});
