// workflow_dispatch inputs as GitHub types them: booleans and numbers become those types in the `inputs` context,
// defaults fill what was not given, required and choice options are enforced
// (https://docs.github.com/actions/reference/workflows-and-actions/events-that-trigger-workflows#workflow_dispatch).
import { UsageError } from './types.js';

/** An input as declared in the YAML (read from the YAML itself: the parser's model has no `number` type). */
export interface InputDeclaration {
  type?: string;
  required?: boolean;
  default?: string | number | boolean;
  options?: string[];
  description?: string;
}

export function typeInputs(
  declared: Record<string, InputDeclaration> | undefined | null,
  given: Record<string, string>,
): Record<string, string | number | boolean> {
  const specs = declared ?? {};
  const names = Object.keys(specs);
  const list = names.length ? names.join(', ') : '(none)';
  const unknown = Object.keys(given).filter((k) => !(k in specs));
  if (unknown.length > 0) throw new UsageError(`Unknown input ${unknown.map((u) => `'${u}'`).join(', ')}: the workflow declares ${list}.`);
  const out: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = name in given ? given[name] : spec.default !== undefined ? String(spec.default) : undefined;
    if (raw === undefined || (spec.required && raw === '')) {
      if (spec.required) throw new UsageError(`Input '${name}' is required (declared: ${list}).`);
    }
    const value = raw ?? '';
    switch (spec.type) {
      case 'boolean':
        if (value !== '' && value !== 'true' && value !== 'false')
          throw new UsageError(`Input '${name}' is a boolean: give true or false, not '${value}'.`);
        out[name] = value === 'true';
        break;
      case 'number': {
        if (value === '') {
          out[name] = '';
          break;
        }
        const n = Number(value);
        if (!Number.isFinite(n)) throw new UsageError(`Input '${name}' is a number: '${value}' is not one.`);
        out[name] = n;
        break;
      }
      case 'choice':
        if (!(spec.options ?? []).includes(value))
          throw new UsageError(`Input '${name}' must be one of ${(spec.options ?? []).join(', ')}, not '${value}'.`);
        out[name] = value;
        break;
      default:
        out[name] = value;
    }
  }
  return out;
}
