import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionMetadata, type ActionMetadata } from '../src/harness.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const actionsDir = join(root, 'actions');
const actions = readdirSync(actionsDir)
  .filter((name) => existsSync(join(actionsDir, name, 'action.yml')))
  .sort()
  .map((name) => ({ name, dir: join(actionsDir, name), meta: readActionMetadata(join(actionsDir, name)) }));

// Input names an action reads through the kit's InputReader or @actions/core.
const READ_INPUT =
  /\.(?:string|secret|boolean|integer|enumeration|list|lineMap|yamlMapping|raw|getInput|getBooleanInput|getMultilineInput)(?:<[^>(]*>)?\(\s*['"]([A-Za-z0-9_ -]+)['"]/g;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function inputsReadBy(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(dir, 'src'))) for (const m of readFileSync(file, 'utf8').matchAll(READ_INPUT)) names.add(m[1]);
  return names;
}

describe('action metadata', () => {
  it('finds the actions', () => {
    expect(actions.length).toBeGreaterThan(0);
  });

  describe.each(actions)('$name', ({ dir, meta }: { dir: string; meta: ActionMetadata }) => {
    it('runs on node24 from a committed dist bundle', () => {
      expect(meta.runs.using).toBe('node24');
      expect(meta.runs.main).toMatch(/^dist\//);
      expect(existsSync(join(dir, meta.runs.main))).toBe(true);
      if (meta.runs.post) {
        expect(existsSync(join(dir, meta.runs.post))).toBe(true);
        expect(meta.runs['post-if']).toBeDefined();
      }
    });

    it('has a name, a description, and a one-line description for every input and output', () => {
      expect(meta.name).toBeTruthy();
      for (const [name, spec] of [...Object.entries(meta.inputs), ...Object.entries(meta.outputs)]) {
        expect({
          name,
          description: typeof spec?.description === 'string' && spec.description.trim() !== '' && !spec.description.trim().includes('\n'),
        }).toEqual({
          name,
          description: true,
        });
      }
    });

    it('names inputs and outputs in kebab-case and quotes defaults as strings', () => {
      for (const name of [...Object.keys(meta.inputs), ...Object.keys(meta.outputs)]) expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      for (const [name, spec] of Object.entries(meta.inputs)) {
        if (spec.default !== undefined) expect({ name, type: typeof spec.default }).toEqual({ name, type: 'string' });
      }
    });

    it('declares every input its source reads, and reads every input it declares', () => {
      const read = inputsReadBy(dir);
      const declared = new Set(Object.keys(meta.inputs));
      expect([...read].filter((n) => !declared.has(n)).sort()).toEqual([]);
      expect([...declared].filter((n) => !read.has(n) && !meta.inputs[n].deprecationMessage).sort()).toEqual([]);
    });

    it('has a README', () => {
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
    });
  });

  // Inputs that mean the same thing in every action (CONVENTIONS.md). Other shared names such as `mode`
  // are action-specific choices with their own values and defaults.
  const SHARED_INPUTS = ['token', 'aws-region', 's3-endpoint', 's3-force-path-style', 'fail-on-error', 'dry-run'];
  // notify-slack's `token` is a Slack bot token: its issue fixes the name, and a GitHub-token default would
  // make webhook mode impossible to tell from token mode.
  const EXCEPTIONS: Record<string, string[]> = { 'notify-slack': ['token'] };

  it('defines the shared inputs identically across actions', () => {
    const seen = new Map<string, { action: string; spec: unknown }>();
    const conflicts: string[] = [];
    for (const { name: action, meta } of actions) {
      for (const [input, spec] of Object.entries(meta.inputs)) {
        if (!SHARED_INPUTS.includes(input) || EXCEPTIONS[action]?.includes(input)) continue;
        const normalised = { description: spec.description, default: spec.default ?? null, required: spec.required ?? false };
        const first = seen.get(input);
        if (!first) seen.set(input, { action, spec: normalised });
        else if (JSON.stringify(first.spec) !== JSON.stringify(normalised)) conflicts.push(`${input}: ${first.action} vs ${action}`);
      }
    }
    expect(conflicts).toEqual([]);
  });
});
