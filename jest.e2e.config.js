/** End-to-end specs against real Kafka and QuestDB, started by test/global-setup.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': require('./jest.swc.js') },
  moduleNameMapper: { '^@alphafeed/(.*)$': '<rootDir>/libs/$1/src' },
  testTimeout: 600000,
};
