/** End-to-end specs against real Kafka and QuestDB, started by test/global-setup.ts. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e.ts'],
  transform: { '^.+\\.ts$': require('./jest.swc.js') },
  moduleNameMapper: {
    '^@alphafeed/service-(.*)$': '<rootDir>/services/$1/src',
    '^@alphafeed/(.*)$': '<rootDir>/libs/$1/src',
  },
  // Starts the servers through deploy/local/infra-up.sh on free ports (or uses
  // running ones with ALPHAFEED_E2E_EXTERNAL=1) and stops them at the end.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 600000,
};
