export * from './app.exception';
export * from './error-code';
export * from './error-envelope';
export * from './standard-errors';
export * from './problem-list';
