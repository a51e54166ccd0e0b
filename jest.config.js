/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/actions', '<rootDir>/packages', '<rootDir>/scripts'],
  testMatch: ['**/tests/**/*.test.ts', '**/run-workflow/scenarios/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  resolver: 'ts-jest-resolver',
  testTimeout: 60_000,
  maxWorkers: 2,
};
