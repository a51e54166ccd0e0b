// GitHub's own workflow schema, through @actions/workflow-parser (the parser behind the Actions language service).
// It is ESM with a JSON import that plain Node 20 refuses; it loads under tsx and under jest, so it is imported lazily.
import type { Finding } from './model.js';

const silent = { info: () => undefined, verbose: () => undefined, error: () => undefined };

/** Schema findings (unknown keys, wrong value types, bad expressions) for one workflow text. */
export async function checkSchema(text: string, file: string): Promise<Finding[]> {
  const parser = await import('@actions/workflow-parser');
  const result = parser.parseWorkflow({ name: file, content: text }, silent);
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (result.value !== undefined && errors.length === 0) {
    const template = await parser.convertWorkflowTemplate(result.context, result.value);
    for (const error of template.errors ?? []) errors.push(error.Message);
  }
  return [...new Set(errors)].map((message) => {
    const line = /\(Line: (\d+)/.exec(message)?.[1];
    return { file, line: line ? Number(line) : undefined, rule: 'schema', message };
  });
}
