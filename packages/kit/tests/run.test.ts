import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InputError, InputErrors, UserError, UserErrors } from '../src/errors.js';
import { runStep } from '../src/run.js';

describe('run', () => {
  let out: string[];
  let spy: ReturnType<typeof jest.spyOn>;
  beforeEach(() => {
    out = [];
    process.exitCode = undefined;
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    spy.mockRestore();
    process.exitCode = undefined;
    delete process.env.RUNNER_DEBUG;
  });

  it('fails the step with the message of a thrown Error, no stack', async () => {
    await runStep(async () => {
      throw new UserError('Production refuses version abc: tag qa-abc is missing.');
    });
    expect(process.exitCode).toBe(1);
    expect(out.join('')).toContain('::error::Production refuses version abc: tag qa-abc is missing.');
    expect(out.join('')).not.toContain('at ');
  });

  it('fails the step for a thrown string, not only an Error', async () => {
    await runStep(async () => {
      throw 'plain string';
    });
    expect(process.exitCode).toBe(1);
    expect(out.join('')).toContain('::error::plain string');
  });

  it('reports each input error on its own ::error:: line', async () => {
    await runStep(async () => {
      throw new InputErrors([new InputError('a', 'is required.'), new InputError('b', 'is bad.')]);
    });
    const errors = out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual(["::error::Input 'a': is required.", "::error::Input 'b': is bad."]);
    expect(process.exitCode).toBe(1);
  });

  it('reports several user errors one a line', async () => {
    await runStep(async () => {
      throw new UserErrors(['first', 'second']);
    });
    expect(out.join('').match(/::error::/g)).toHaveLength(2);
  });

  it('prints the stack of an unexpected error only in debug mode', async () => {
    process.env.RUNNER_DEBUG = '1';
    await runStep(async () => {
      throw new TypeError('boom');
    });
    expect(out.join('')).toMatch(/::debug::TypeError: boom%0A\s+at /);
  });

  it('leaves a successful run alone', async () => {
    await runStep(async () => undefined);
    expect(process.exitCode).toBeUndefined();
  });
});
