import * as core from '@actions/core';
import { InputReader } from '@pipeline-actions/kit';

export async function main(): Promise<void> {
  const inputs = new InputReader();
  const environment = inputs.string('environment', { required: true });
  inputs.done();
  core.setOutput('environment', environment);
}
