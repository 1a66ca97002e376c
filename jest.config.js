/** Unit specs sit next to the code; end-to-end specs live in test/ (jest.e2e.config.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services'],
  testMatch: ['**/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': require('./jest.swc.js') },
  moduleNameMapper: {
    '^@alphafeed/service-(.*)$': '<rootDir>/services/$1/src',
    '^@alphafeed/(.*)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 120000,
};
