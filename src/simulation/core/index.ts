/** The numerical core: plain functions over numbers and typed arrays, no framework imports. */
export * from './adam';
export * from './box-counting';
export * from './constants';
export * from './field-params';
export * from './field-simulation';
export * from './field-summary';
export * from './ifs';
export * from './krum';
export * from './linear';
export * from './lyapunov';
export * from './nernst';
export * from './network';
export * from './prng';
export * from './simulation-run';
export * from './sparse-attention';
export * from './stdp';
export * from './validation-cycle';
