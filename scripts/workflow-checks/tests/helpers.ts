import { parseActionMetadata, type ContractMap } from '../action-contracts.js';
import { parseWorkflow, type WorkflowModel } from '../model.js';

/** Parses a test workflow; fails the test when the sample itself is not a workflow. */
export function workflow(text: string, file = 'sample.yml'): WorkflowModel {
  const parsed = parseWorkflow(text, file);
  if (!parsed.workflow) throw new Error(`sample is not a workflow: ${JSON.stringify(parsed.findings)}`);
  return parsed.workflow;
}

/** A small contract set shaped like ours: ssh-tunnel with required inputs, promote-artifact with outputs. */
export function sampleContracts(): ContractMap {
  return new Map([
    [
      'ssh-tunnel',
      parseActionMetadata(
        'ssh-tunnel',
        `name: SSH tunnel
inputs:
  host: {description: Bastion host., required: true}
  user: {description: User., required: true}
  private-key: {description: Key., required: true}
  port: {description: Port., required: false, default: '22'}
  forwards: {description: Forwards., required: false, default: ''}
outputs:
  local-port: {description: First local port.}
  ports: {description: All ports as JSON.}
runs: {using: node24, main: dist/index.js}
`,
      ),
    ],
    [
      'promote-artifact',
      parseActionMetadata(
        'promote-artifact',
        `name: Promote artifact
inputs:
  mode: {description: Mode., required: true}
  service: {description: Service., required: true}
  version: {description: Version., required: false, default: ''}
  strict: {description: Required but defaulted., required: true, default: 'true'}
outputs:
  version: {description: Version.}
  sha256: {description: Digest.}
runs: {using: node24, main: dist/index.js}
`,
      ),
    ],
    ['notify-slack', undefined],
  ]);
}
