// Reads `/cordon …` text. Declarations share the CLI's package-spec parsing (client/declare), so both refuse bad
// input alike.
import { parseFlags } from '../client/args';
import { packagesFromSpecs } from '../client/declare';
import type { Declaration } from '../client/incidents';
import { CordonError, ErrorCode } from '../config/errors';
import { SEVERITIES, type Severity } from '../workflows/definitions';

/** How far back the exposure window starts when `--since` is not given: wide, since a narrow window misses installs. */
export const DEFAULT_WINDOW_DAYS = 7;

/** A `/cordon` command, read. */
export type SlashCommand =
  | { kind: 'declare'; declaration: Omit<Declaration, 'initiator'> }
  | { kind: 'declare-modal' }
  | { kind: 'status'; incidentId?: string }
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export const HELP = [
  '*/cordon* — supply-chain incident response',
  '• `/cordon declare ECOSYSTEM:package@version[,version] [--since TIME] [--org ORG] [--severity low|medium|high|critical]` — start an incident (or join the one already open for the same packages and org)',
  `  --since defaults to ${DEFAULT_WINDOW_DAYS} days ago; --severity to high`,
  '• `/cordon declare` — the same, in a form',
  '• `/cordon status [INCIDENT]` — one incident, or every open one',
  '• `/cordon list` — recent incidents',
  '• `/cordon help` — this message',
].join('\n');

/** Splits command text on spaces, keeping "quoted words" together (Slack sends the text as typed). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** What a declaration needs besides the packages, with the defaults the Slack command applies. */
export interface DeclareDefaults {
  now: Date;
  defaultOrg?: string;
}

/** Checks the declaration fields shared by the command and the modal; throws one precise message. */
export function declarationFrom(
  fields: { packages: string[]; since?: string; org?: string; severity?: string },
  defaults: DeclareDefaults,
): Omit<Declaration, 'initiator'> {
  if (fields.packages.length === 0)
    throw new SlackInputError('packages', 'name at least one package: ECOSYSTEM:name@version (npm:axios@1.14.1)');
  let packages;
  try {
    packages = packagesFromSpecs(fields.packages.map((p) => p.replace(/^--package=/, '')));
  } catch (err) {
    throw new SlackInputError('packages', (err as Error).message.replace(/^--package /, ''));
  }
  const org = fields.org ?? defaults.defaultOrg;
  if (!org) throw new SlackInputError('org', '--org ORG is required (no default organisation is configured)');
  const since = fields.since ?? new Date(defaults.now.getTime() - DEFAULT_WINDOW_DAYS * 24 * 3600 * 1000).toISOString();
  if (Number.isNaN(Date.parse(since)))
    throw new SlackInputError('since', `--since ${since}: expected an ISO 8601 time (2026-06-17T00:00Z)`);
  const severity = (fields.severity ?? 'high') as Severity;
  if (!SEVERITIES.includes(severity))
    throw new SlackInputError('severity', `--severity ${fields.severity}: expected one of ${SEVERITIES.join(', ')}`);
  return { packages, org, since: new Date(since).toISOString(), severity };
}

/** Bad input to a command or form, naming the field it is about. */
export class SlackInputError extends CordonError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, ErrorCode.SlackInput);
    this.name = 'SlackInputError';
  }
}

/** Reads the text after `/cordon`. Never throws: bad input becomes `{kind:'error'}` with one precise message. */
export function parseSlashCommand(text: string, defaults: DeclareDefaults): SlashCommand {
  const [verb, ...args] = tokenize(text.trim());
  try {
    switch (verb ?? 'help') {
      case 'help':
        return { kind: 'help' };
      case 'list':
        if (args.length > 0) return { kind: 'error', message: 'usage: /cordon list' };
        return { kind: 'list' };
      case 'status':
        if (args.length > 1) return { kind: 'error', message: 'usage: /cordon status [INCIDENT]' };
        return args[0] ? { kind: 'status', incidentId: args[0] } : { kind: 'status' };
      case 'declare': {
        if (args.length === 0) return { kind: 'declare-modal' };
        const { values, positionals } = parseFlags(args, {
          since: { type: 'string' },
          org: { type: 'string' },
          severity: { type: 'string' },
          package: { type: 'string', multiple: true },
        });
        return {
          kind: 'declare',
          declaration: declarationFrom(
            {
              packages: [...positionals, ...(values.package ?? [])],
              ...(values.since ? { since: values.since } : {}),
              ...(values.org ? { org: values.org } : {}),
              ...(values.severity ? { severity: values.severity } : {}),
            },
            defaults,
          ),
        };
      }
      default:
        return { kind: 'error', message: `unknown command "${verb}": try /cordon help` };
    }
  } catch (err) {
    if (err instanceof CordonError) return { kind: 'error', message: err.message };
    throw err;
  }
}
