// Lint: typescript-eslint recommended rules and eslint-plugin-security's recommended rules on src,
// test, bench, client/src and the CI scripts under scripts/. The security rules are errors: each
// finding is fixed, or justified where it stands with an eslint-disable-next-line naming the rule
// and the reason (docs/security.md, "Static analysis").
import js from '@eslint/js';
import pluginSecurity from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';

import { packageEntryPoints } from './lint/package-entry-points.mjs';

/** eslint-plugin-security's recommended rule set, every rule an error instead of a warning. */
const security = {
  ...pluginSecurity.configs.recommended,
  rules: Object.fromEntries(Object.keys(pluginSecurity.configs.recommended.rules).map((rule) => [rule, 'error'])),
};

export default tseslint.config(
  // client/src/schema.d.ts is generated from openapi.json (npm run client:generate).
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'reports/**', 'src/**/*.js', 'test/**/*.js', '*.js', '**/*.mjs', 'client/src/schema.d.ts'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: false } },
    plugins: { 'entry-points': { rules: { 'package-entry-points': packageEntryPoints } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'entry-points/package-entry-points': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (src/config) only.' },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // bench/ and scripts/ are plain CommonJS run by node: only the security rules apply to them.
  { files: ['bench/**/*.js', 'scripts/**/*.js'], languageOptions: { sourceType: 'commonjs' } },
  security,
  {
    // What @microsoft/eslint-plugin-sdl would add for a Node service, without its React and old
    // eslint-plugin-security dependencies: its "common" set's core rules and its Node set's
    // no-unsafe-alloc (docs/security.md, "Static analysis"). no-implied-eval looks for the timer
    // functions among the declared globals.
    languageOptions: { globals: { setTimeout: 'readonly', setInterval: 'readonly', setImmediate: 'readonly' } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Buffer'][property.name=/^allocUnsafe/]",
          message: 'Buffer.allocUnsafe* hands out uninitialised memory: use Buffer.alloc.',
        },
      ],
    },
  },
  {
    // The numerical core indexes arrays and typed arrays with integer loop counters only (about 200
    // `a[i]` sites, each checked to have a number-typed index); no property name reaches it, since
    // the DTOs hand it validated numbers and arrays. detect-object-injection cannot tell `a[i]` on a
    // Float64Array from `obj[key]` on a plain object, so it is off here and on everywhere else.
    files: ['src/simulation/core/**/*.ts'],
    rules: { 'security/detect-object-injection': 'off' },
  },
);
