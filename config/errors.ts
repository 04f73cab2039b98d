// One catalogue of the codes errors outside workflow code carry, and the classes that carry them. Pure (no I/O
// imports): lockfiles/ and domain-side code throw these too, and the CLI and Slack app render them.

/** Category of an error outside workflow code: who has to act on it. */
export type ErrorCategory = 'user' | 'operational' | 'bug';

/** What the catalogue says about one code. */
export interface ErrorCodeSpec {
  category: ErrorCategory;
  /** One line: when this code is thrown. */
  doc: string;
}

/**
 * Stable codes, by name. Callers match on `err.code`, scripts read it from logs: a value never changes once
 * released; add a code rather than reuse one.
 */
export const ErrorCode = {
  User: 'E_USER',
  Usage: 'E_USAGE',
  Config: 'E_CONFIG',
  Advisory: 'E_ADVISORY',
  NotFound: 'E_NOT_FOUND',
  Playbook: 'E_PLAYBOOK',
  Declare: 'E_DECLARE',
  Preflight: 'E_PREFLIGHT',
  PreflightTimeout: 'E_PREFLIGHT_TIMEOUT',
  Obligations: 'E_OBLIGATIONS',
  Refused: 'E_REFUSED',
  VoteRefused: 'E_VOTE_REFUSED',
  TooLong: 'E_TOO_LONG',
  IncidentClosed: 'E_INCIDENT_CLOSED',
  CodecKeysMissing: 'E_CODEC_KEYS_MISSING',
  ScanArgs: 'E_SCAN_ARGS',
  ScanNoAdvisory: 'E_SCAN_NO_ADVISORY',
  ScanPackageSpec: 'E_SCAN_PACKAGE_SPEC',
  ScanAdvisoryPath: 'E_SCAN_ADVISORY_PATH',
  ScanPath: 'E_SCAN_PATH',
  PinArgs: 'E_PIN_ARGS',
  SlackInput: 'E_SLACK_INPUT',
  PinInput: 'E_PIN_INPUT',
  Approvers: 'E_APPROVERS',
  AuditNoSigningKey: 'E_AUDIT_NO_SIGNING_KEY',
  SignFailed: 'E_SIGN_FAILED',
  Operational: 'E_OPERATIONAL',
  TemporalStart: 'E_TEMPORAL_START',
  TemporalUnreachable: 'E_TEMPORAL_UNREACHABLE',
  CodecUnknownKey: 'E_CODEC_UNKNOWN_KEY',
  CodecDecrypt: 'E_CODEC_DECRYPT',
  CodecMalformed: 'E_CODEC_MALFORMED',
  SshKeygenMissing: 'E_SSH_KEYGEN_MISSING',
  ToolMissing: 'E_TOOL_MISSING',
  Tool: 'E_TOOL',
  SshKeygen: 'E_SSH_KEYGEN',
  Bug: 'E_BUG',
} as const;

/** A code from the catalogue. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every code with its category and what it means; the type makes a code without an entry a compile error. */
export const ERROR_CATALOGUE = {
  E_USER: { category: 'user', doc: 'Bad input that no more precise code describes.' },
  E_USAGE: { category: 'user', doc: 'Missing or malformed command-line arguments or flags.' },
  E_CONFIG: { category: 'user', doc: 'A configuration variable or file is malformed or incomplete.' },
  E_ADVISORY: { category: 'user', doc: 'An advisory given to declare (OSV record, IOC list) cannot be read.' },
  E_NOT_FOUND: { category: 'user', doc: 'The named incident or obligation does not exist.' },
  E_PLAYBOOK: { category: 'user', doc: 'The playbook file cannot be read or does not validate.' },
  E_DECLARE: { category: 'user', doc: 'A declaration lacks affected packages or has a malformed window.' },
  E_PREFLIGHT: {
    category: 'user',
    doc: 'Pre-flight refused a declaration: configuration its playbook needs is missing, or a drill reaches a real system.',
  },
  E_OBLIGATIONS: { category: 'user', doc: 'The obligations file cannot be read or does not validate.' },
  E_REFUSED: { category: 'user', doc: 'The incident refused an acknowledgement or a fact (its reason follows).' },
  E_VOTE_REFUSED: { category: 'user', doc: 'The vote validator refused a vote or a stand-down (refusal code kept).' },
  E_TOO_LONG: { category: 'user', doc: 'A reason, note, title or reference is over its limit (domain/limits.ts).' },
  E_INCIDENT_CLOSED: {
    category: 'user',
    doc: 'The incident has closed: it takes no more facts, votes or stand-downs.',
  },
  E_CODEC_KEYS_MISSING: {
    category: 'user',
    doc: "This shell has no CORDON_CODEC_KEYS but the namespace's worker encrypts payloads.",
  },
  E_SCAN_ARGS: { category: 'user', doc: '`cordon scan` was given unknown flags or a bad --format.' },
  E_PIN_ARGS: { category: 'user', doc: '`cordon pin` was given unknown flags or a bad --since time.' },
  E_SCAN_NO_ADVISORY: { category: 'user', doc: '`cordon scan` has no advisory to match against.' },
  E_SCAN_PACKAGE_SPEC: { category: 'user', doc: 'A `--package ECO:name@version` spec is malformed.' },
  E_SCAN_ADVISORY_PATH: { category: 'user', doc: 'An --advisory path cannot be read.' },
  E_SCAN_PATH: { category: 'user', doc: 'A path to scan does not exist.' },
  E_SLACK_INPUT: { category: 'user', doc: 'Bad input to a Slack command or form, naming its field.' },
  E_PIN_INPUT: { category: 'user', doc: 'A lockfile or manifest to pin cannot be read; a person pins it.' },
  E_APPROVERS: { category: 'user', doc: 'The approvers file (people, aliases, groups, keys) does not validate.' },
  E_AUDIT_NO_SIGNING_KEY: {
    category: 'user',
    doc: '`audit export` has no signing key and was not told `--unsigned`.',
  },
  E_SIGN_FAILED: {
    category: 'user',
    doc: 'ssh-keygen could not sign a vote with the given key (wrong key, no agent).',
  },
  E_OPERATIONAL: { category: 'operational', doc: 'Something outside cordon failed that no more precise code names.' },
  E_TEMPORAL_START: { category: 'operational', doc: 'The local Temporal dev server did not start.' },
  E_PREFLIGHT_TIMEOUT: {
    category: 'operational',
    doc: 'A declared incident got no pre-flight answer in time: no worker polls its task queue.',
  },
  E_TEMPORAL_UNREACHABLE: { category: 'operational', doc: 'No Temporal server answers at the configured address.' },
  E_CODEC_UNKNOWN_KEY: { category: 'operational', doc: 'A payload names an encryption key id cordon does not have.' },
  E_CODEC_DECRYPT: {
    category: 'operational',
    doc: 'A payload fails authenticated decryption (tampered or wrong key).',
  },
  E_CODEC_MALFORMED: { category: 'operational', doc: 'An encrypted payload lacks its key id or is truncated.' },
  E_TOOL_MISSING: {
    category: 'operational',
    doc: 'A system tool a provisioning step needs (Go, Python 3, Cargo) is not installed.',
  },
  E_TOOL: { category: 'operational', doc: 'Building or installing a pinned tool into the tool cache failed.' },
  E_SSH_KEYGEN_MISSING: {
    category: 'operational',
    doc: 'ssh-keygen (OpenSSH) is not installed, so votes cannot be signed.',
  },
  E_SSH_KEYGEN: { category: 'operational', doc: 'ssh-keygen failed to run for a reason other than the key.' },
  E_BUG: { category: 'bug', doc: 'An unexpected error: a bug in cordon, to be reported with its stack.' },
} as const satisfies Record<ErrorCode, ErrorCodeSpec>;

/** The codes of one category. */
export type CodeOf<C extends ErrorCategory> = {
  [K in ErrorCode]: (typeof ERROR_CATALOGUE)[K]['category'] extends C ? K : never;
}[ErrorCode];

/** An error with a stable code from the catalogue; its category comes from the code. */
export class CordonError extends Error {
  readonly category: ErrorCategory;

  constructor(
    message: string,
    readonly code: ErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CordonError';
    this.category = ERROR_CATALOGUE[code].category;
  }
}

/** Bad input from the person or file that called cordon (flags, playbook, config): one line, exit 2. */
export class UserError extends CordonError {
  constructor(message: string, code: CodeOf<'user'> = ErrorCode.User, options?: { cause?: unknown }) {
    super(message, code, options);
    this.name = 'UserError';
  }
}

/** Something outside cordon is missing or failing (Temporal CLI not installed, server down). */
export class OperationalError extends CordonError {
  constructor(message: string, code: CodeOf<'operational'> = ErrorCode.Operational, options?: { cause?: unknown }) {
    super(message, code, options);
    this.name = 'OperationalError';
  }
}

/** An unexpected error wrapped by `asCordonError`: a bug in cordon; `cause` holds what was thrown. */
export class InternalError extends CordonError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ErrorCode.Bug, options);
    this.name = 'InternalError';
  }
}

/** A vote or stand-down the incident's validator refused; `refusal` is its stable failure type (`STALE_PLAN`…). */
export class VoteRefused extends UserError {
  constructor(
    readonly refusal: string,
    message: string,
  ) {
    super(message, ErrorCode.VoteRefused);
    this.name = 'VoteRefused';
  }
}

/**
 * A lockfile or manifest the pin cannot read: which file, and what is wrong. The pin of that file goes to a person.
 * `manifestName` is the manifest's file name in the message (`package.json`, `Cargo.toml`).
 */
export class PinInputError extends UserError {
  constructor(
    readonly file: 'lockfile' | 'manifest',
    message: string,
    manifestName = 'package.json',
  ) {
    super(`${file === 'lockfile' ? 'the lockfile' : manifestName} ${message}`, ErrorCode.PinInput);
    this.name = 'PinInputError';
  }
}

/**
 * Any thrown value as a CordonError, so the CLI and the Slack app render every failure one way: a CordonError as
 * it is, anything else as an InternalError (category bug) whose `cause` is the original, stack and all.
 */
export function asCordonError(err: unknown): CordonError {
  if (err instanceof CordonError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(message, { cause: err });
}
