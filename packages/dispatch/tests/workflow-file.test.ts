import { describe, expect, it } from '@jest/globals';
import { describeInputs, parseWorkflowDefinition } from '../src/index.js';
import { offendingInputs } from '../src/explain.js';

describe('parseWorkflowDefinition', () => {
  it('reads the dispatch inputs with their types, options and defaults', () => {
    const definition = parseWorkflowDefinition(`
run-name: Deploy \${{ inputs.distinct_id }}
on:
  push:
  workflow_dispatch:
    inputs:
      env: {type: choice, options: [dev, qa], required: true}
      dry: {type: boolean, default: false}
      note: {description: free text}
`);
    expect(definition).toEqual({
      dispatchable: true,
      runName: 'Deploy ${{ inputs.distinct_id }}',
      inputs: {
        env: { type: 'choice', required: true, options: ['dev', 'qa'] },
        dry: { type: 'boolean', required: false, default: 'false' },
        note: { type: 'string', required: false, description: 'free text' },
      },
    });
    expect(Object.values(describeInputs(definition!.inputs))).toEqual([
      'env (choice: dev, qa; required)',
      "dry (boolean; default 'false')",
      'note (string)',
    ]);
  });

  it('knows the trigger in its string and list forms, and its absence', () => {
    expect(parseWorkflowDefinition('on: workflow_dispatch')?.dispatchable).toBe(true);
    expect(parseWorkflowDefinition('on: [push, workflow_dispatch]')?.dispatchable).toBe(true);
    expect(parseWorkflowDefinition('on: {push: {branches: [main]}}')?.dispatchable).toBe(false);
    expect(parseWorkflowDefinition('on: [push')).toBeUndefined();
  });
});

describe('offendingInputs', () => {
  it("reads the input names out of GitHub's 422 messages", () => {
    expect(offendingInputs('Unexpected inputs provided: ["artefact", "x"]')).toEqual(['artefact', 'x']);
    expect(offendingInputs("Required input 'artifact_version' not provided")).toEqual(['artifact_version']);
    expect(offendingInputs("Provided value 'prod' for input 'environment' not in the list of allowed values")).toEqual(['environment']);
    expect(offendingInputs('Something else')).toEqual([]);
  });
});
