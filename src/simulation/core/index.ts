/** The numerical core: plain functions over numbers and typed arrays, no framework imports. */
export * from './constants';
export * from './nernst';
