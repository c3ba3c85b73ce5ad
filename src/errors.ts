/**
 * Errors that the CLI maps to exit codes. Every error a user can cause carries a stable
 * `code` and, for bad input, where it happened (file, line, field), what was expected and
 * what was found, so the message says what to fix.
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  /** Everything passed. */
  ok: 0,
  /** The gate failed: a real regression. */
  regression: 1,
  /** Bad usage or bad input (config, dataset, trace file). */
  usage: 2,
  /** The run itself failed (provider unreachable for every case, I/O error, bug). */
  runError: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in the input a problem was found. All fields optional; fill what is known. */
export interface ErrorLocation {
  /** File path as the user gave it. */
  file?: string;
  /** 1-based line number. */
  line?: number;
  /** Dotted path of the offending field, e.g. `evaluators[2].type`. */
  field?: string;
}

export interface EvalsErrorDetails extends ErrorLocation {
  /** What would have been valid. */
  expected?: string;
  /** What was actually there (kept short). */
  found?: string;
  /** A next step for the user. */
  hint?: string;
  cause?: unknown;
}

/** Base class: a problem the user can act on. `exitCode` defaults to usage (2). */
export class EvalsError extends Error {
  readonly code: string;
  readonly details: EvalsErrorDetails;
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, details: EvalsErrorDetails = {}, exitCode: ExitCode = ExitCode.usage) {
    super(formatMessage(message, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EvalsError';
    this.code = code;
    this.details = details;
    this.exitCode = exitCode;
  }
}

/** Bad input in a file: always names the file and, where known, line and field. */
export class InputError extends EvalsError {
  constructor(message: string, details: EvalsErrorDetails & { file: string }) {
    super('E_INPUT', message, details, ExitCode.usage);
    this.name = 'InputError';
  }
}

/** Bad configuration: names the config file and the field. */
export class ConfigError extends EvalsError {
  constructor(message: string, details: EvalsErrorDetails) {
    super('E_CONFIG', message, details, ExitCode.usage);
    this.name = 'ConfigError';
  }
}

/** Bad command-line usage. */
export class UsageError extends EvalsError {
  constructor(message: string, details: EvalsErrorDetails = {}) {
    super('E_USAGE', message, details, ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** Something was asked for that does not exist (trace id, dataset, version). */
export class NotFoundError extends EvalsError {
  constructor(message: string, details: EvalsErrorDetails = {}) {
    super('E_NOT_FOUND', message, details, ExitCode.usage);
    this.name = 'NotFoundError';
  }
}

/** The run could not proceed (I/O, lock timeout, every call failed). */
export class RunError extends EvalsError {
  constructor(message: string, details: EvalsErrorDetails = {}) {
    super('E_RUN', message, details, ExitCode.runError);
    this.name = 'RunError';
  }
}

/** Already reported to the user; exit quietly with this code. */
export class ExitError extends Error {
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

function formatMessage(message: string, d: EvalsErrorDetails): string {
  const where = [d.file, d.line !== undefined ? `line ${d.line}` : undefined, d.field ? `field ${d.field}` : undefined]
    .filter(Boolean)
    .join(', ');
  const parts = [where ? `${where}: ${message}` : message];
  if (d.expected !== undefined) parts.push(`  expected: ${d.expected}`);
  if (d.found !== undefined) parts.push(`  found:    ${d.found}`);
  if (d.hint !== undefined) parts.push(`  hint:     ${d.hint}`);
  return parts.join('\n');
}

/** Shortens a value for an error message: JSON for objects, cut at `max` characters. */
export function excerpt(value: unknown, max = 120): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
