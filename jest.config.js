// Unit specs live beside the code; e2e and infrastructure suites, the resilience suite (load,
// faults, fuzzing) and the browser suite live under test/, each its own project.
// ts-jest runs the @nestjs/swagger compiler plugin as `nest build` does (jest.swagger-plugin.js),
// so the OpenAPI document the suites read is the one the built service serves. The plugin needs
// the type checker, hence no isolatedModules; type errors are reported by `npm run typecheck`.
// NestJS 12 is published as ES modules; the CommonJS test code require()s it. Jest 30 loads such
// packages through Node's vm modules, which Node 24 exposes only with --experimental-vm-modules:
// .npmrc passes the flag (node-options) to every npm script and npx, this check names it when
// jest is started another way.
if (typeof require('node:vm').SourceTextModule !== 'function') {
  throw new Error('Run jest with NODE_OPTIONS=--experimental-vm-modules (npm scripts and npx set it through .npmrc)');
}

const tsJest = [
  'ts-jest',
  { tsconfig: 'tsconfig.jest.json', diagnostics: false, astTransformers: { before: ['<rootDir>/jest.swagger-plugin.js'] } },
];
const transform = { '^.+\\.ts$': tsJest };
// The e2e and resilience suites need the shared Redis (MFN_TEST_REDIS_URL): one PING before
// they run turns a missing Redis into one line saying so. The unit project needs none.
const requireRedis = '<rootDir>/test/helpers/redis-global-setup.ts';

module.exports = {
  testTimeout: 60000,
  // Every suite loads the ES-module framework anew through vm modules, and what it loaded stays
  // reachable for the life of the process (about 50 MB per e2e file): one process for every suite
  // would reach the heap limit. With a limit set, Jest runs the suites in a worker process (one on
  // two cores, as before) and starts a fresh one once a finished suite leaves it above the limit.
  workerIdleMemoryLimit: '1536MB',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      // Jest 29 has testTimeout only as a global option: the unit project sets its own here.
      setupFilesAfterEnv: ['<rootDir>/test/helpers/unit-timeout.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      globalSetup: requireRedis,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      displayName: 'resilience',
      testEnvironment: 'node',
      rootDir: __dirname,
      globalSetup: requireRedis,
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
