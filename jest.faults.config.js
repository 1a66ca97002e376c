/**
 * The fault suite (test/faults/): the services as separate processes on a
 * secured Kafka + QuestDB that the suite starts itself (deploy/local scripts),
 * faults injected, every table compared with a clean run. Needs `npm run build`
 * (the services run from dist/); `npm run test:faults` builds first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  transform: { '^.+\\.ts$': require('./jest.swc.js') },
  moduleNameMapper: {
    '^@alphafeed/service-(.*)$': '<rootDir>/services/$1/src',
    '^@alphafeed/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 1_200_000,
};
