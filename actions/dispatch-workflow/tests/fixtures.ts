/** Workflow files the fake GitHub serves, shaped like the promotion chain's. */
export const REPO = 'octo-org/pipeline-demo';

export const PROMOTE_QA = `name: Promote to QA
run-name: Promote \${{ inputs.artifact_version }} to QA \${{ inputs.distinct_id }}
on:
  workflow_dispatch:
    inputs:
      artifact_version:
        description: Version to promote
        type: string
        required: true
      environment:
        type: choice
        options: [qa, staging]
        default: qa
      distinct_id:
        description: Set by dispatch-workflow to find this run
        type: string
        required: false
jobs:
  promote:
    name: Promote
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Promote artifact
        run: echo promote
  verify:
    name: Verify
    runs-on: ubuntu-latest
    steps:
      - name: Smoke test
        run: echo ok
`;

/** The distinct id in a step name of the first job instead of the run name (return-dispatch's convention). */
export const STEP_ID = `name: Step ID
on:
  workflow_dispatch:
    inputs:
      distinct_id:
        type: string
jobs:
  id:
    runs-on: ubuntu-latest
    steps:
      - name: \${{ inputs.distinct_id }}
        run: echo id
`;

/** Declares no distinct_id: without run details its run cannot be identified. */
export const NO_ID = `name: No ID
on:
  workflow_dispatch:
    inputs:
      version:
        type: string
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
`;

/** Has distinct_id but shows it nowhere. */
export const HIDDEN_ID = `name: Hidden ID
on:
  workflow_dispatch:
    inputs:
      distinct_id:
        type: string
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
`;

export const PUSH_ONLY = `name: CI
on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
`;
