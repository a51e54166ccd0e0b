import { describe, expect, it } from '@jest/globals';
import { effectiveLevel, permissionRefusal } from '../src/gate.js';
import { requirementProblems, type RequirementContext } from '../src/requires.js';
import { effectiveEventName, resolveEnvironment } from '../src/resolve.js';
import { inputsFrom, payload, runEvent } from './fixtures.js';

const PROD = "prod:\n  inputs: [allocator_version, {client_version: '^\\d+\\.\\d+\\.\\d+$'}]\n  refs: [refs/heads/main, 'release/**']";

function context(patch: Partial<RequirementContext> = {}): RequirementContext {
  return {
    eventName: 'workflow_dispatch',
    ref: 'refs/heads/main',
    payload: { inputs: { allocator_version: '1.0.0', client_version: '2.0.0' } },
    workflowFile: 'image-build.yml',
    repository: 'octo-org/lablink',
    ...patch,
  };
}

describe('requires', () => {
  const requires = inputsFrom({ requires: PROD }).requires;

  it('passes when every input is set and the ref is allowed', () => {
    expect(requirementProblems('prod', requires.prod, context())).toEqual([]);
    expect(requirementProblems('prod', requires.prod, context({ ref: 'refs/heads/release/1.2' }))).toEqual([]);
  });

  it('ignores an environment without requirements', () => {
    expect(requirementProblems('dev', requires.dev, context({ payload: {} }))).toEqual([]);
  });

  it('reads the inputs input before the payload, as a reusable workflow passes them', () => {
    const problems = requirementProblems('prod', requires.prod, {
      ...context({ payload: {} }),
      inputs: { allocator_version: '1', client_version: '1.2.3' },
    });
    expect(problems).toEqual([]);
  });

  it("takes the inputs input, and 'null' (toJSON of no inputs) as none", () => {
    expect(inputsFrom({ inputs: '{"version": "1.2.3"}' }).runInputs).toEqual({ version: '1.2.3' });
    expect(inputsFrom({ inputs: 'null' }).runInputs).toBeUndefined();
    expect(() => inputsFrom({ inputs: '[1]' })).toThrow("Input 'inputs': is not a mapping");
  });

  it('tells a repository_dispatch sender to set client_payload', () => {
    const problems = requirementProblems(
      'prod',
      requires.prod,
      context({ eventName: 'repository_dispatch', payload: { action: 'build', client_payload: { client_version: '2.0.0' } } }),
    );
    expect(problems).toEqual([
      "Environment 'prod' requires 'allocator_version', which is empty: provide it, e.g. send it in client_payload: gh api repos/octo-org/lablink/dispatches -f event_type=build -f 'client_payload[environment]=prod' -f 'client_payload[allocator_version]=...'.",
    ]);
  });

  it('reads a dotted payload path', () => {
    const entry = inputsFrom({ requires: 'qa: {inputs: [client_payload.ticket]}' }).requires.qa;
    expect(requirementProblems('qa', entry, context({ payload: { client_payload: { ticket: 'OPS-1' } } }))).toEqual([]);
    expect(requirementProblems('qa', entry, context({ payload: {} }))).toEqual([
      "Environment 'qa' requires 'client_payload.ticket', which is empty: provide it, e.g. send the event with the payload field 'client_payload.ticket' set.",
    ]);
  });

  it('refuses a value longer than 1024 characters without running the pattern', () => {
    const long = `1.0.0${'0'.repeat(2000)}`;
    const problems = requirementProblems(
      'prod',
      requires.prod,
      context({ payload: { inputs: { allocator_version: 'x', client_version: long } } }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`to match ^\\d+\\.\\d+\\.\\d+$, and '1.0.0${'0'.repeat(35)}…' does not`);
  });

  it('reports each problem of a requires entry as an input error', () => {
    expect(() =>
      inputsFrom({
        allowed: 'dev, prod',
        requires: "prod: {inputs: ['bad name', {v: '(['}], refs: ['v[1-'], extra: 1}\nstaging: {}",
      }),
    ).toThrow(
      [
        "Input 'requires': 'prod' has an unknown key 'extra': expected 'prod: {inputs: [name, ...] or {name: pattern}, refs: [refs/heads/main, ...]}'.",
        "Input 'requires': 'prod.inputs' has \"bad name\", which is not an input name or a payload path such as 'client_payload.version'.",
        "Input 'requires': 'prod.inputs.v' pattern '([' is not a regular expression (Invalid regular expression: /([/: Unterminated character class).",
        "Input 'requires': has an entry for 'staging', which is not one of the allowed environments: dev, prod.",
      ].join('\n'),
    );
  });
});

describe('values', () => {
  it('resolves anchors and merge keys', () => {
    const values = inputsFrom({
      values: 'test: &dev {dockerfile: Dockerfile.dev, tag-suffix: -test}\nci-test: {<<: *dev, tag-suffix: -ci}\nqa: *dev',
    }).values;
    expect(values).toEqual({
      test: { dockerfile: 'Dockerfile.dev', 'tag-suffix': '-test' },
      'ci-test': { dockerfile: 'Dockerfile.dev', 'tag-suffix': '-ci' },
      qa: { dockerfile: 'Dockerfile.dev', 'tag-suffix': '-test' },
    });
  });
});

describe('branch rules with negation', () => {
  const inputs = inputsFrom({ branches: 'releases/** => qa\n!releases/**-alpha\nmain => dev', default: 'sandbox' });

  it('maps what the positive line matches', () => {
    expect(resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/releases/10'), inputs).environment).toBe('qa');
  });

  it('excludes what a later negation matches, falling to the default', () => {
    const r = resolveEnvironment(runEvent('push-branch', {}, 'refs/heads/releases/10-alpha'), inputs);
    expect(r.environment).toBe('sandbox');
    expect(r.reason).toContain("matches no glob in 'branches' (mapped: releases/**, !releases/**-alpha, main)");
  });

  it('refuses a negation that names an environment', () => {
    expect(() => inputsFrom({ branches: '!main => dev' })).toThrow(
      "Input 'branches': line 1 '!main => dev' is a negation with an environment: expected '!GLOB' alone (it excludes refs the lines above matched).",
    );
  });
});

describe('workflow_call', () => {
  it("lets the environment input decide when the caller passed one, whatever the caller's event", () => {
    const inputs = inputsFrom({ event: 'workflow_call', environment: 'prod', branches: 'main => dev' });
    expect(effectiveEventName('push', inputs)).toBe('workflow_call');
    const r = resolveEnvironment(runEvent('push-branch'), inputs);
    expect(r).toMatchObject({ environment: 'prod', trigger: 'manual' });
    expect(r.reason).toBe("Manual run (workflow_call) asked for 'prod' through the 'environment' input.");
  });

  it("applies the caller's event rules when no environment was passed", () => {
    const r = resolveEnvironment(runEvent('push-branch'), inputsFrom({ event: 'workflow_call', branches: 'main => dev' }));
    expect(r).toMatchObject({ environment: 'dev', trigger: 'push' });
  });

  it('refuses an event input that is not an event name', () => {
    expect(() => inputsFrom({ event: 'push; rm' })).toThrow(
      "Input 'event': 'push; rm' is not valid: expected a GitHub event name such as 'workflow_call'.",
    );
  });
});

describe('permission levels', () => {
  it('prefers role_name, because the legacy permission maps maintain to write and triage to read', () => {
    expect(effectiveLevel({ roleName: 'maintain', permission: 'write' })).toBe('maintain');
    expect(effectiveLevel({ roleName: 'triage', permission: 'read' })).toBe('triage');
  });

  it("uses the legacy base role for a custom role and 'none' for a 404", () => {
    expect(effectiveLevel({ roleName: 'security-reviewer', permission: 'write' })).toBe('write');
    expect(effectiveLevel(undefined)).toBe('none');
  });

  it('orders read < triage < write < maintain < admin', () => {
    expect(permissionRefusal('a', 'triage', 'triage')).toBe('');
    expect(permissionRefusal('a', 'triage', 'write')).not.toBe('');
    expect(permissionRefusal('a', 'admin', 'maintain')).toBe('');
    expect(permissionRefusal('a', 'none', 'read')).toContain('no permission on this repository');
  });

  it('does not read author_association', () => {
    const event = payload('issue_comment-pull_request');
    const r = resolveEnvironment(
      {
        eventName: 'issue_comment',
        ref: 'refs/heads/main',
        sha: '',
        payload: { ...event, comment: { ...(event.comment as object), author_association: 'OWNER' } },
      },
      inputsFrom({ commands: 'apply', 'pull-request': 'preview' }),
    );
    expect(r.actorPermission).toBe('');
    expect(r.actor).toBe('octocat');
  });
});
