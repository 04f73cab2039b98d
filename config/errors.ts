/** Category of an error outside workflow code: who has to act on it. */
export type ErrorCategory = 'user' | 'operational' | 'bug';

/** An error with a stable code and a category; a user error prints one clear line and exits 2. */
export class CordonError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly category: ErrorCategory,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CordonError';
  }
}

/** Bad input from the person or file that called cordon (flags, playbook, config). */
export class UserError extends CordonError {
  constructor(message: string, code = 'E_USER', options?: { cause?: unknown }) {
    super(message, code, 'user', options);
    this.name = 'UserError';
  }
}

/** Something outside cordon is missing or failing (Temporal CLI not installed, server down). */
export class OperationalError extends CordonError {
  constructor(message: string, code = 'E_OPERATIONAL', options?: { cause?: unknown }) {
    super(message, code, 'operational', options);
    this.name = 'OperationalError';
  }
}
