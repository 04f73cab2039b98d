/** Approval policy with durations in milliseconds, as the workflow uses it. */
export interface ApprovalPolicy {
  group: string;
  quorum: number;
  separationOfDuties: boolean;
  timeoutMs: number;
  escalation?: { group: string; timeoutMs: number };
  onExpiry: 'reject' | 'approve';
  /** How votes are proven; absent, the default applies: `signed` for irreversible steps, `slack` otherwise. */
  proof?: 'signed' | 'slack';
}

/** A step ready to run: defaults filled, durations in ms, references checked. */
export interface CompiledStep {
  id: string;
  phase: string;
  name: string;
  action: string;
  needs: string[];
  inputs: Record<string, unknown>;
  mutates: boolean;
  irreversible: boolean;
  undo?: { action: string; inputs: Record<string, unknown> };
  /** Present (false) only when a stand-down must leave this step's change in place; absent means it is undone. */
  undoOnStandDown?: false;
  approval?: ApprovalPolicy;
  onReject: 'skip' | 'halt';
  continueOnError: boolean;
  timeoutMs: number;
  maxAttempts: number;
  /** Durable wait between the needs succeeding and the step starting (a grace period); absent means none. */
  delayMs?: number;
  forEach?: { items: string; batchSize: number };
}

/** The JSON plan a playbook compiles to; passed as workflow input with its sha256. */
export interface CompiledPlaybook {
  name: string;
  version: string;
  description: string;
  phases: string[];
  /** Who approves a stand-down; absent, {@link standDownPolicy} picks a default. */
  standDown?: { group: string; quorum: number; proof: 'signed' | 'slack' };
  /** Steps in a topological order of `needs`. */
  steps: CompiledStep[];
}
