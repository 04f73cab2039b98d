import { readFileSync } from 'node:fs';
import { isMap } from 'yaml';
import { z } from 'zod';
import { ALIAS_CHANNELS, type ApproverDirectory, type Principal } from '../domain/approvers';
import { formatProblem, type PlaybookProblem } from '../domain/playbook';
import { parseWithPositions, type PathKey, type SchemaIssue } from '../domain/text/yaml-positions';
import { fromBase64, fromBase64Url } from '../domain/signing/bytes';
import { parseSshPublicKey } from '../domain/signing/ssh-key';
import { parseCredentialPublicKey } from '../domain/signing/webauthn';
import { ErrorCode, UserError } from './errors';

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const Handle = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'expected a CLI handle (letters, digits, . _ @ -)');
// Slack user ids: U… for workspace members, W… for Enterprise Grid users.
const SlackId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as U0123ABCD');

const WebAuthnKey = z.strictObject({
  /** Credential id, base64url, as the browser's PublicKeyCredential.id. */
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected the credential id in base64url'),
  /** COSE_Key (CBOR) or SubjectPublicKeyInfo (DER), base64url or base64. */
  publicKey: z.string().min(1),
  alg: z.union([z.literal(-7), z.literal(-8)], { error: 'expected -7 (ES256) or -8 (EdDSA)' }),
});

const Person = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9._-]*$/, 'expected a lower-case principal id such as alice or a.smith'),
  name: z.string().min(1).optional(),
  aliases: z.strictObject({
    cli: oneOrMany(Handle).default([]),
    slack: oneOrMany(SlackId).default([]),
    email: oneOrMany(z.email()).default([]),
  }),
  groups: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a group name such as oncall-security')).min(1),
  keys: z
    .strictObject({
      ssh: z.array(z.string()).default([]),
      webauthn: z.array(WebAuthnKey).default([]),
    })
    .default({ ssh: [], webauthn: [] }),
});

/** The approvers file: each person once, with aliases per channel, groups and enrolled keys. */
export const ApproversFileSchema = z.strictObject({ people: z.array(Person).min(1) });

/** A parsed approvers file, or every problem with its line and column. */
export type ApproversResult = { ok: true; directory: ApproverDirectory } | { ok: false; problems: PlaybookProblem[] };

/** Whether a parsed YAML value is a people file (as opposed to the older `group: [ids]` map). */
export function isPeopleFile(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'people' in value;
}

/**
 * Parses and validates an approvers file (YAML). Never throws on bad input: each problem comes back as
 * `file:line:col`, and duplicates (ids, aliases, keys) are refused because each would let one human count twice
 * or one key speak for two people.
 */
export function parseApprovers(text: string, file: string): ApproversResult {
  const yaml = parseWithPositions(text, file);
  const { doc } = yaml;
  const problems: PlaybookProblem[] = [];
  const at = (path: readonly PathKey[], message: string): void => {
    problems.push(yaml.problemAt(path, message));
  };
  if (doc.errors.length > 0) return { ok: false, problems: yaml.syntaxProblems() };
  if (!isMap(doc.contents))
    return { ok: false, problems: [{ file, line: 1, col: 1, path: '', message: 'expected a mapping with people' }] };
  const parsed = ApproversFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return { ok: false, problems: yaml.issueProblems(parsed.error.issues as readonly SchemaIssue[]) };
  }
  const people: Principal[] = [];
  const ids = new Map<string, number>();
  const aliases = new Map<string, string>();
  const keys = new Map<string, string>();
  parsed.data.people.forEach((p, i) => {
    const where = `people[${i}]`;
    if (ids.has(p.id)) at(['people', i, 'id'], `duplicate id "${p.id}" (first at people[${ids.get(p.id)}])`);
    else ids.set(p.id, i);
    if (ALIAS_CHANNELS.every((c) => p.aliases[c].length === 0))
      at(['people', i, 'aliases'], 'no alias: this person could never vote');
    for (const c of ALIAS_CHANNELS)
      p.aliases[c].forEach((a, j) => {
        const k = `${c}:${c === 'email' ? a.toLowerCase() : a}`;
        const first = aliases.get(k);
        if (first) at(['people', i, 'aliases', c, j], `${c} alias "${a}" is already ${first}'s`);
        else aliases.set(k, p.id);
      });
    const person: Principal = {
      id: p.id,
      ...(p.name ? { name: p.name } : {}),
      aliases: { cli: p.aliases.cli, slack: p.aliases.slack, email: p.aliases.email },
      groups: [...new Set(p.groups)].sort(),
      keys: { ssh: [], webauthn: [] },
    };
    p.keys.ssh.forEach((line, j) => {
      const key = parseSshPublicKey(line);
      if (!key.ok) return at(['people', i, 'keys', 'ssh', j], key.message);
      const first = keys.get(key.key.fingerprint);
      if (first)
        return at(['people', i, 'keys', 'ssh', j], `key ${key.key.fingerprint} is already enrolled (${first})`);
      keys.set(key.key.fingerprint, `${where}.keys.ssh[${j}]`);
      person.keys.ssh.push(key.key);
    });
    p.keys.webauthn.forEach((w, j) => {
      const bytes = fromBase64Url(w.publicKey) ?? fromBase64(w.publicKey);
      if (!bytes) return at(['people', i, 'keys', 'webauthn', j, 'publicKey'], 'expected base64url');
      const key = parseCredentialPublicKey(bytes);
      if (!key.ok) return at(['people', i, 'keys', 'webauthn', j, 'publicKey'], key.message);
      if (key.alg !== w.alg)
        return at(['people', i, 'keys', 'webauthn', j, 'alg'], `alg ${w.alg} but the key is for alg ${key.alg}`);
      const first = keys.get(`webauthn:${w.id}`);
      if (first)
        return at(['people', i, 'keys', 'webauthn', j, 'id'], `credential ${w.id} is already enrolled (${first})`);
      keys.set(`webauthn:${w.id}`, `${where}.keys.webauthn[${j}]`);
      person.keys.webauthn.push({ id: w.id, alg: key.alg, publicKey: key.publicKey });
    });
    people.push(person);
  });
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.col - b.col) };
  return { ok: true, directory: { people } };
}

/**
 * Reads an approvers file from disk.
 * @throws UserError (E_APPROVERS) listing every problem as `file:line:col: path: message`, one per line.
 */
export function readApproversFile(file: string, displayName = file): ApproverDirectory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${displayName}: ${(e as Error).message}`, ErrorCode.Approvers, { cause: e });
  }
  const result = parseApprovers(text, displayName);
  if (!result.ok) throw new UserError(result.problems.map(formatProblem).join('\n'), ErrorCode.Approvers);
  return result.directory;
}
