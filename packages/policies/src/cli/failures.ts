import { InvalidArgumentError } from 'commander';
import { PolicyEngineError, TemplateInputError } from '../engine/guard-binary';
import { GateInputError } from '../gate/errors';
import { GATE_COMMANDS } from './diff-command';
import type { CliFailure, FailureContext } from './runner';

/** Exit code of every `core-policies` failure: bad usage or unreadable input. */
const FAILURE_EXIT_CODE = 2;

/**
 * How `core-policies` reports a failure: `core-policies: <reason>` (the gate's commands name
 * themselves, `core-policies diff: <reason>`), exit code 2.
 *
 * @param error what the command threw
 * @param context whether `--debug` was given, and which command failed
 * @returns the message for standard error and the exit code
 */
export function describePolicyFailure(error: unknown, { debug, command }: FailureContext): CliFailure {
  const who = command !== undefined && GATE_COMMANDS.includes(command.name()) ? `core-policies ${command.name()}` : 'core-policies';
  return { message: `${who}: ${describeFailure(error, debug)}`, exitCode: FAILURE_EXIT_CODE };
}

/**
 * Says why a command failed, in one line: the error's own message for bad input, the file and
 * a fix for a file-system error, otherwise `unexpected error: <message>`. With `debug` the stack
 * trace follows on the next lines.
 *
 * @param error what the command threw
 * @param debug whether `--debug` was given
 */
export function describeFailure(error: unknown, debug: boolean): string {
  const line = failureLine(error, debug);
  const stack = error instanceof Error ? error.stack : undefined;
  return debug && stack ? `${line}\n${stack}` : line;
}

function failureLine(error: unknown, debug: boolean): string {
  // TemplateInputError extends PolicyEngineError, so it is tested first.
  if (error instanceof TemplateInputError || error instanceof GateInputError || error instanceof InvalidArgumentError) {
    return oneLine(error.message);
  }
  if (error instanceof PolicyEngineError) {
    return `policy engine failed, nothing was checked: ${oneLine(error.message)}`;
  }
  const fileError = fileErrorLine(error);
  if (fileError) return fileError;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${oneLine(message)}${debug ? '' : ' (run again with --debug for the stack trace)'}`;
}

// Node's file-system errors carry the path and the call; a reader that does not wrap them should
// still tell the user which file it was.
function fileErrorLine(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof path !== 'string') return undefined;
  return `cannot ${syscall ?? 'access'} ${path} (${code}): check the path and its permissions`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
