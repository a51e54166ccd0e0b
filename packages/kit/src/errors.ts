/** A problem with one input: names the input and the form it expects. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`Input '${input}': ${problem}`);
    this.name = 'InputError';
  }
}

/** Every input problem found in one pass, reported together. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
  }
}

/**
 * A failure the user can fix (refused promotion, missing permission, a failed check).
 * Reported as its message only, never with a stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Several user-facing problems found at once (each becomes its own ::error:: line). */
export class UserErrors extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join('\n'));
    this.name = 'UserErrors';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
