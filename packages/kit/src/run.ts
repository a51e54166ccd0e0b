import * as core from '@actions/core';
import { InputErrors, UserError, UserErrors, errorMessage } from './errors.js';

export function isDebug(): boolean {
  return core.isDebug() || process.env.ACTIONS_STEP_DEBUG === 'true';
}

/**
 * Runs an action's main (or post) and turns anything it throws into a failed step:
 * one ::error:: line per problem, a stack only in debug mode, never a crash.
 */
export async function runStep(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    reportFailure(error);
  }
}

export function reportFailure(error: unknown): void {
  if (error instanceof InputErrors || error instanceof UserErrors) {
    const messages = error instanceof InputErrors ? error.errors.map((e) => e.message) : error.messages;
    if (messages.length === 1) {
      core.setFailed(messages[0]);
    } else {
      for (const message of messages) core.error(message);
      process.exitCode = core.ExitCode.Failure;
    }
    return;
  }
  const known = error instanceof UserError || (error instanceof Error && error.name === 'InputError');
  core.setFailed(errorMessage(error) || 'The action failed with an empty error.');
  if (!known && error instanceof Error && error.stack && isDebug()) core.debug(error.stack);
}
