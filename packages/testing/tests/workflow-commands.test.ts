import { describe, expect, it } from '@jest/globals';
import { parseKeyValueFile, parseWorkflowCommands } from '../src/workflow-commands.js';

describe('parseKeyValueFile', () => {
  it('reads heredoc blocks with multi-line values, as @actions/core writes them', () => {
    const text = 'a<<ghadelimiter_1\nline one\nline two\nghadelimiter_1\nb<<EOF\n\nEOF\n';
    expect(parseKeyValueFile(text)).toEqual({ a: 'line one\nline two', b: '' });
  });

  it('reads name=value lines, keeping later = signs in the value', () => {
    expect(parseKeyValueFile('x=1\ny=a=b\n')).toEqual({ x: '1', y: 'a=b' });
  });

  it('throws on an unterminated heredoc', () => {
    expect(() => parseKeyValueFile('a<<EOF\nvalue\n')).toThrow(/Unterminated heredoc/);
  });
});

describe('parseWorkflowCommands', () => {
  it('unescapes data and properties', () => {
    const [cmd] = parseWorkflowCommands('::error file=a%2Cb.ts,title=x%3Ay::50%25 done%0Anext');
    expect(cmd).toEqual({ command: 'error', properties: { file: 'a,b.ts', title: 'x:y' }, message: '50% done\nnext' });
  });

  it('ignores ordinary lines', () => {
    expect(parseWorkflowCommands('hello\n::add-mask::abc\n')).toEqual([{ command: 'add-mask', properties: {}, message: 'abc' }]);
  });
});
