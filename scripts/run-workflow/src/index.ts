// The programmatic API of run-workflow: start the local services once, run several workflows (even at once) against them.
export { runWorkflow } from './run.js';
export {
  startLocalServices,
  LOCAL_BUCKETS,
  DB_NAME,
  type LocalServices,
  type LocalServicesOptions,
  type ServicesSnapshot,
} from './services.js';
export { toJsonResult } from './result-json.js';
export {
  UsageError,
  type RunResult,
  type RunWorkflowOptions,
  type JobResult,
  type LegResult,
  type StepResult,
  type JobConclusion,
  type RunConclusion,
} from './types.js';
export { DOUBLES } from './doubles/index.js';
