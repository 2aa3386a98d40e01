// Lint: typescript-eslint recommended rules on src, test, bench and client/src.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { packageEntryPoints } from './lint/package-entry-points.mjs';

export default tseslint.config(
  // client/src/schema.d.ts is generated from openapi.json (npm run client:generate).
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'client/src/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
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
);
