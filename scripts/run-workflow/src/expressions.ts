// Every `${{ }}` is evaluated by GitHub's own engine (@actions/expressions); workflow values arrive as the template
// tokens of @actions/workflow-parser, which already turned `a ${{ x }} b` into `format('a {0} b', x)`.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { BasicExpressionToken } from '@actions/workflow-parser/templates/tokens/basic-expression-token';
import { isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import { parse as parseYaml } from 'yaml';

export type Contexts = Record<string, unknown>;

/** The status functions of a step's or a job's `if:` (https://docs.github.com/actions/reference/workflows-and-actions/expressions#status-check-functions). */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface EvaluationScope {
  contexts: Contexts;
  status?: StatusFunctions;
  /** hashFiles() base directory (the workspace). */
  hashFiles?: (patterns: string[]) => string;
}

const CONTEXT_NAMES = ['github', 'env', 'vars', 'secrets', 'inputs', 'needs', 'steps', 'job', 'jobs', 'runner', 'matrix', 'strategy'];

/** Converts plain JSON-like values to the engine's data (dictionaries are case-insensitive, as on GitHub). */
export function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

export function fromData(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

function functionsFor(scope: EvaluationScope) {
  const bool = (b: boolean) => new data.BooleanData(b);
  const status = scope.status;
  const defs = [
    { name: 'success', minArgs: 0, maxArgs: 0, call: () => bool(status ? status.success() : true) },
    { name: 'failure', minArgs: 0, maxArgs: 0, call: () => bool(status ? status.failure() : false) },
    { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => bool(status ? status.cancelled() : false) },
    { name: 'always', minArgs: 0, maxArgs: 0, call: () => bool(true) },
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: 255,
      call: (...args: data.ExpressionData[]) =>
        new data.StringData(scope.hashFiles ? scope.hashFiles(args.map((a) => a.coerceString())) : ''),
    },
  ];
  return {
    infos: defs.map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs })),
    map: new Map(defs.map((d) => [d.name.toLowerCase(), d])),
  };
}

/** Evaluates one expression (without `${{ }}`) to the engine's data. */
export function evaluateExpression(expression: string, scope: EvaluationScope): data.ExpressionData {
  const { infos, map } = functionsFor(scope);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, CONTEXT_NAMES, infos).parse();
  const dict = new data.Dictionary();
  for (const [name, value] of Object.entries(scope.contexts)) dict.add(name, toData(value));
  // A context the scope does not hold reads as empty, never as an engine crash.
  for (const name of CONTEXT_NAMES) if (!dict.get(name)) dict.add(name, new data.Dictionary());
  return new Evaluator(tree, dict, map).evaluate();
}

/** GitHub's truthiness: false, 0, '', null are false (https://docs.github.com/actions/reference/workflows-and-actions/expressions#literals). */
export function truthy(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Null:
      return false;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Number: {
      const n = value.number();
      return n !== 0 && !Number.isNaN(n);
    }
    case data.Kind.String:
      return value.coerceString() !== '';
    default:
      return true;
  }
}

/** A value as the runner turns it into a string (inputs, env, outputs): primitives coerced, objects as JSON. */
export function dataToString(value: data.ExpressionData): string {
  if (value.kind === data.Kind.Dictionary || value.kind === data.Kind.Array) return JSON.stringify(fromData(value));
  return value.coerceString();
}

/**
 * The parser (written for the editor) builds the format() of a multi-line scalar from its raw source, keeping the
 * YAML indentation and line breaks that folding and block scalars remove. The runner sees the YAML value, so for
 * those the value is read back through YAML and each `${{ }}` in it is evaluated on its own.
 */
function multiLineSource(token: BasicExpressionToken): string | undefined {
  const source = token.source;
  if (!source || !source.includes('\n') || !source.includes('${{')) return undefined;
  const header = token.blockScalarHeader;
  const value = parseYaml(`v: ${header ? `${header}\n` : ''}${source}`) as { v: unknown };
  return typeof value.v === 'string' ? value.v : undefined;
}

/** Replaces each `${{ expr }}` of a string with its value (quotes inside an expression may hold `}}`). */
export function interpolate(text: string, scope: EvaluationScope): string {
  let out = '';
  let from = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const start = text.indexOf('${{', from);
    if (start < 0) break;
    let quote = false;
    let end = -1;
    for (let i = start + 3; i < text.length; i++) {
      if (text[i] === "'") quote = !quote;
      else if (!quote && text[i] === '}' && text[i + 1] === '}') {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    out += text.slice(from, start) + dataToString(evaluateExpression(text.slice(start + 3, end).trim(), scope));
    from = end + 2;
  }
  return out + text.slice(from);
}

function evaluateBasic(token: BasicExpressionToken, scope: EvaluationScope): data.ExpressionData {
  const text = multiLineSource(token);
  if (text === undefined) return evaluateExpression(token.expression, scope);
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text.trim());
  if (whole && !whole[1].includes('${{')) return evaluateExpression(whole[1].trim(), scope);
  return new data.StringData(interpolate(text, scope));
}

/** Evaluates a template token to a plain value (mappings and sequences recursively). */
export function evaluateToken(token: TemplateToken | undefined, scope: EvaluationScope): unknown {
  if (!token) return undefined;
  if (isBasicExpression(token)) return fromData(evaluateBasic(token, scope));
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isSequence(token)) {
    const out: unknown[] = [];
    for (let i = 0; i < token.count; i++) out.push(evaluateToken(token.get(i), scope));
    return out;
  }
  if (isMapping(token)) {
    const out: Record<string, unknown> = {};
    for (const pair of token) out[String(evaluateToken(pair.key, scope))] = evaluateToken(pair.value, scope);
    return out;
  }
  return null;
}

/** Evaluates a scalar token to the string the runner would pass on. */
export function evaluateString(token: TemplateToken | undefined, scope: EvaluationScope): string {
  if (!token) return '';
  if (isBasicExpression(token)) return dataToString(evaluateBasic(token, scope));
  return valueToString(evaluateToken(token, scope));
}

export function valueToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Evaluates an `if:` condition (the parser already prefixed `success() &&` where no status function is used). */
export function evaluateCondition(expression: string, scope: EvaluationScope): boolean {
  return truthy(evaluateExpression(expression, scope));
}

/** A mapping token's entries evaluated to strings (env:, with:, outputs:). */
export function evaluateStringMap(token: TemplateToken | undefined, scope: EvaluationScope): Record<string, string> {
  const out: Record<string, string> = {};
  if (!token || !isMapping(token)) {
    if (token) {
      const value = evaluateToken(token, scope);
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out[k] = valueToString(v);
    }
    return out;
  }
  for (const pair of token) out[String(evaluateToken(pair.key, scope))] = evaluateString(pair.value, scope);
  return out;
}
