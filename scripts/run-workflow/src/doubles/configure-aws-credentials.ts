// aws-actions/configure-aws-credentials: the local S3's credentials and endpoint as environment variables.
// `role-to-assume` without access keys needs an OIDC token, as on GitHub: the job must grant `id-token: write`.
import { StepFailure, type ActionDouble } from './types.js';

export const configureAwsCredentials: ActionDouble = {
  action: 'aws-actions/configure-aws-credentials',
  description:
    "Exports the local S3 server's credentials and endpoint: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` (with `--local`; dummy keys otherwise). Fails as the real action does when `aws-region` is missing or `role-to-assume` is used in a job without `id-token: write`.",
  async run(step) {
    const region = step.with['aws-region'];
    if (!region) throw new StepFailure('Input required and not supplied: aws-region');
    const role = step.with['role-to-assume'];
    const keys = step.with['aws-access-key-id'];
    if (!role && !keys)
      throw new StepFailure(
        'Credentials could not be loaded, please check your action inputs: give role-to-assume (OIDC) or aws-access-key-id.',
      );
    if (role && !keys && step.job.permissions['id-token'] !== 'write') {
      throw new StepFailure(
        `Could not assume role ${role} with OIDC: this job's permissions do not grant id-token: write (ACTIONS_ID_TOKEN_REQUEST_URL is not set).`,
      );
    }
    const s3 = step.job.run.services?.s3;
    const accessKeyId = s3 ? s3.env.AWS_ACCESS_KEY_ID : keys || 'AKIARUNWORKFLOWLOCAL';
    const secret = s3 ? s3.env.AWS_SECRET_ACCESS_KEY : step.with['aws-secret-access-key'] || 'run-workflow-local-secret';
    step.setSecret(accessKeyId);
    step.setSecret(secret);
    step.exportVariable('AWS_ACCESS_KEY_ID', accessKeyId);
    step.exportVariable('AWS_SECRET_ACCESS_KEY', secret);
    step.exportVariable('AWS_REGION', region);
    step.exportVariable('AWS_DEFAULT_REGION', region);
    step.exportVariable('AWS_EC2_METADATA_DISABLED', 'true');
    if (s3) {
      step.exportVariable('AWS_ENDPOINT_URL_S3', s3.endpoint);
      step.exportVariable('AWS_ENDPOINT_URL', s3.endpoint);
    }
    step.setOutput('aws-account-id', '123456789012');
    step.info(`Credentials for ${role || 'the given access key'} in ${region}${s3 ? ` (local S3 ${s3.endpoint})` : ''}`);
  },
};
