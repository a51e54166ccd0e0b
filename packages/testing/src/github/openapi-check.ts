import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Checks the fake's responses against GitHub's published OpenAPI description (from @octokit/openapi),
 * so the fake cannot drift into fiction. Only the 13 MB api.github.com.json is loaded, and only in tests.
 */
interface OpenApiDoc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: Record<string, unknown>;
}

let doc: OpenApiDoc | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): { doc: OpenApiDoc; ajv: Ajv } {
  if (!doc || !ajv) {
    const require = createRequire(import.meta.url);
    doc = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as OpenApiDoc;
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    ajv.addSchema({ $id: 'github', components: toJsonSchema(doc.components) }, 'github');
  }
  return { doc, ajv };
}

/** The OpenAPI path template that a concrete path matches, e.g. /repos/o/r/issues/1/comments. */
export function findPathTemplate(path: string, method: string): string | undefined {
  const { doc } = load();
  const m = method.toLowerCase();
  const candidates = Object.keys(doc.paths).filter((template) => {
    if (!doc.paths[template][m]) return false;
    const pattern = new RegExp(
      `^${template
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{[^}]+\\?\}/g, '[^/]+')
        .replace(/\{[^}]+\}/g, '[^/]+')}$`,
    );
    return pattern.test(path);
  });
  // The most specific template: the most literal characters.
  return candidates.sort((a, b) => b.replace(/\{[^}]+\}/g, '').length - a.replace(/\{[^}]+\}/g, '').length)[0];
}

/** Problems of one response against the documented schema; [] when it conforms. */
export function checkResponse(method: string, path: string, status: number, body: unknown): string[] {
  const { doc, ajv } = load();
  const template = findPathTemplate(path, method);
  if (!template) return [`${method} ${path}: no such operation in GitHub's OpenAPI description`];
  const responses = doc.paths[template][method.toLowerCase()].responses ?? {};
  const response = responses[String(status)];
  if (!response) return [`${method} ${template}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return [];
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const rewritten = JSON.parse(JSON.stringify(toJsonSchema(schema)).replace(/"#\/components\//g, '"github#/components/'));
    validate = ajv.compile(rewritten);
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${key}: ${e.instancePath || '(root)'} ${e.message}`);
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: a null type added, or `anyOf` with null where there is no type. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = toJsonSchema(value);
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === 'string')
    return { ...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}
