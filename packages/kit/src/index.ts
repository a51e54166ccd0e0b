export * from './errors.js';
export * from './inputs.js';
export * from './run.js';
export * from './summary.js';
export * from './context.js';
