import { describe, expect, it } from '@jest/globals';
import { driftReport, workflowFileName, workflowTriggers } from '../src/drift.js';
import { inputsFrom } from './fixtures.js';

const WORKFLOW = [
  'on:',
  '  push:',
  "    branches: [main, test, 'release/**', '!release/**-alpha']",
  "    tags: ['v*']",
  '  workflow_dispatch:',
  '    inputs:',
  '      environment:',
  '        type: choice',
  '        options: [test, ci-test, prod, staging]',
  'jobs: {}',
].join('\n');

describe('drift between the workflow and the mapping', () => {
  it('reads the push filters and the dispatch choice options', () => {
    expect(workflowTriggers(WORKFLOW)).toEqual({
      crons: [],
      pushBranches: ['main', 'test', 'release/**', '!release/**-alpha'],
      pushTags: ['v*'],
      dispatchOptions: ['test', 'ci-test', 'prod', 'staging'],
    });
  });

  it('names each push pattern the mapping does not reach and each option outside allowed', () => {
    const inputs = inputsFrom({ branches: 'main => ci-test', tags: 'release-* => prod', allowed: 'test, ci-test, prod' });
    expect(driftReport(workflowTriggers(WORKFLOW), inputs, '.github/workflows/build.yml').errors).toEqual([
      "Input 'branches': .github/workflows/build.yml runs on push to branch pattern 'test', which 'branches' does not map (mapped: main) and 'default' is empty: add a line 'test => ENVIRONMENT'.",
      "Input 'branches': .github/workflows/build.yml runs on push to branch pattern 'release/**', which 'branches' does not map (mapped: main) and 'default' is empty: add a line 'release/** => ENVIRONMENT'.",
      "Input 'tags': .github/workflows/build.yml runs on push to tag pattern 'v*', which 'tags' does not map (mapped: release-*) and 'default' is empty: add a line 'v* => ENVIRONMENT'.",
      "Input 'allowed': .github/workflows/build.yml offers workflow_dispatch option 'staging' for input 'environment', which 'allowed' does not list (test, ci-test, prod): add it to 'allowed' or remove the option.",
    ]);
  });

  it('accepts patterns mapped as written, names a rule matches, and a default', () => {
    const inputs = inputsFrom({ branches: 'main => ci-test\ntest => test\nrelease/** => prod', tags: 'v* => prod' });
    expect(driftReport(workflowTriggers(WORKFLOW), inputs, 'w.yml').errors).toEqual([]);
    const broad = inputsFrom({ branches: '** => test' });
    expect(driftReport(workflowTriggers(WORKFLOW), broad, 'w.yml').errors).toEqual([]);
    const withDefault = inputsFrom({ branches: 'main => test', default: 'test' });
    expect(driftReport(workflowTriggers(WORKFLOW), withDefault, 'w.yml').errors).toEqual([]);
  });

  it('finds no triggers in a workflow without an on mapping', () => {
    expect(workflowTriggers('on: push\njobs: {}')).toEqual({ crons: [] });
  });

  it('names the workflow file for the gh hint', () => {
    expect(workflowFileName('octo-org/lablink/.github/workflows/image-build.yml@refs/heads/main')).toBe('image-build.yml');
    expect(workflowFileName('')).toBe('');
  });
});
