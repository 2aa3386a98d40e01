/**
 * Timeout of the unit project (jest.config.js: setupFilesAfterEnv), shorter than the global one
 * the e2e suites need: a unit spec works in memory and should finish in milliseconds, so one that
 * runs into this limit is waiting on something real (a timer, a socket). The few heavy
 * property-based cases set their own limit next to the test.
 */
jest.setTimeout(5_000);
