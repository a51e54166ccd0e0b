// Pure text operations on workflow files: pin our action references, find what a workflow needs, check pins.
import { parse } from 'yaml';

/** `uses: <owner>/pipeline-actions/actions/<name>@<ref>` with an optional trailing comment. */
const OUR_USES = /^(\s*-?\s*uses:\s*)(['"]?)([A-Za-z0-9_.-]+)\/pipeline-actions\/actions\/([A-Za-z0-9_.-]+)@([^\s'"#]+)\2([ \t]*#.*)?$/;

export interface Pin {
  owner: string;
  sha: string;
  /** What the `#` comment names: the release tag, e.g. v1.2.0. */
  label: string;
}

/** Rewrites every reference to our actions to `<owner>/pipeline-actions/actions/<name>@<sha> # <label>`. */
export function pinWorkflowText(text: string, pin: Pin): { text: string; count: number } {
  let count = 0;
  const lines = text.split('\n').map((line) => {
    const match = OUR_USES.exec(line);
    if (!match) return line;
    count++;
    return `${match[1]}${pin.owner}/pipeline-actions/actions/${match[4]}@${pin.sha} # ${pin.label}`;
  });
  return { text: lines.join('\n'), count };
}

export interface Requirements {
  secrets: string[];
  variables: string[];
  environments: string[];
}

/** The secrets, variables and environments a workflow refers to (GITHUB_TOKEN is always there). */
export function findRequirements(text: string): Requirements {
  const collect = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((match) => match[1]))].sort();
  const environments = new Set<string>();
  let jobs: Record<string, { environment?: unknown }> = {};
  try {
    jobs = ((parse(text) as { jobs?: typeof jobs } | null)?.jobs ?? {}) as typeof jobs;
  } catch {
    // not YAML: no environments to report
  }
  for (const job of Object.values(jobs)) {
    const value = job?.environment;
    const name = value !== null && typeof value === 'object' ? (value as { name?: unknown }).name : value;
    if (typeof name !== 'string') continue;
    environments.add(name.includes('${{') ? `${name} (decided per run: create one for each value)` : name);
  }
  return {
    secrets: collect(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g).filter((name) => name !== 'GITHUB_TOKEN'),
    variables: collect(/\bvars\.([A-Za-z_][A-Za-z0-9_]*)/g),
    environments: [...environments].sort(),
  };
}

export interface OurReference {
  line: number;
  action: string;
  owner: string;
  ref: string;
  comment?: string;
}

/** Every reference to our actions in a workflow text, with its 1-based line. */
export function findOurReferences(text: string): OurReference[] {
  const refs: OurReference[] = [];
  text.split('\n').forEach((line, index) => {
    const match = OUR_USES.exec(line);
    if (match)
      refs.push({ line: index + 1, owner: match[3], action: match[4], ref: match[5], comment: match[6]?.replace(/^[ \t]*#\s*/, '') });
  });
  return refs;
}
