export * from './harness.js';
export * from './workflow-commands.js';
export * from './node-runtime.js';
export * from './free-port.js';
export * from './s3-server.js';
export * from './github/index.js';
