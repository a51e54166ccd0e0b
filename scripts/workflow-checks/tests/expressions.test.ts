import { describe, expect, test } from '@jest/globals';
import { expressionsOf, extractExpressions, findOutputRefs } from '../expressions.js';

describe('extractExpressions', () => {
  test('finds every expression body, trimmed', () => {
    expect(extractExpressions('a ${{ steps.x.outputs.y }} b ${{needs.j.result}}')).toEqual(['steps.x.outputs.y', 'needs.j.result']);
  });
  test('a quoted "}}" does not end the expression', () => {
    expect(extractExpressions("${{ format('}}{0}', github.sha) }}")).toEqual(["format('}}{0}', github.sha)"]);
  });
  test('text without expressions gives none', () => {
    expect(extractExpressions('echo "$HOME"')).toEqual([]);
  });
});

describe('findOutputRefs', () => {
  test('finds steps and needs output references, with hyphenated names and bracket keys', () => {
    const refs = findOutputRefs(
      "fromJSON(steps.batch.outputs.table-counts)[needs.build.outputs['artifact-name']] || steps.t.outputs.local-port",
    );
    expect(refs.map((ref) => [ref.kind, ref.id, ref.name])).toEqual([
      ['steps', 'batch', 'table-counts'],
      ['needs', 'build', 'artifact-name'],
      ['steps', 't', 'local-port'],
    ]);
  });
  test('ignores references written inside string literals and other contexts', () => {
    expect(findOutputRefs("'steps.a.outputs.b' == github.event.steps.c.outputs.d || needs.j.result")).toEqual([]);
  });
});

describe('expressionsOf', () => {
  test('an if: without ${{ }} is a bare expression', () => {
    expect(expressionsOf(['steps', '0', 'if'], "steps.a.outputs.b == 'x'")).toEqual(["steps.a.outputs.b == 'x'"]);
    expect(expressionsOf(['steps', '0', 'run'], 'steps.a.outputs.b')).toEqual([]);
  });
});
