// Unit specs live beside the code; e2e and infrastructure suites, the resilience suite (load,
// faults, fuzzing) and the browser suite live under test/, each its own project.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json' }];

// Files the @nestjs/swagger compiler plugin reads in `nest build` (its dtoFileNameSuffix and
// controllerFileNameSuffix defaults) are compiled with the plugin here too, so that the OpenAPI
// document is the same in tests (see jest.swagger-transform.js); every other file keeps the faster
// isolated transpiling.
const transform = {
  '\\.(dto|entity|controller)\\.ts$': '<rootDir>/jest.swagger-transform.js',
  '^.+\\.ts$': tsJest,
};

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'resilience',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/resilience'],
      testMatch: ['**/*.resilience-spec.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.browser-spec.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
  ],
};
