// Lint: typescript-eslint recommended rules on src, test and bench.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A package is used through its documented entry points: its root, or a subpath it declares in
// its package.json "exports" (e.g. `@noble/curves/ed25519`). Paths into its build output or its
// internals change between patch releases without notice.
const PACKAGE_INTERNALS = [
  {
    // `pkg/dist/x`, `@scope/pkg/lib/x`, `pkg/cjs/x`, `pkg/esm2015/x`, ... (bare specifiers only:
    // the repository's own `./lib` or `../build` are not packages).
    regex: '^(@[^/]+/)?[^./][^/]*/(.+/)?(cjs|dist|lib|build|esm[0-9]*)(/|$)',
    message: "Import the package's documented entry point, not its build output.",
  },
  {
    // Their only public entry point is the root: deep paths reach metadata storage and types.
    regex: '^class-(validator|transformer)/',
    message: 'Use class-validator and class-transformer through their root exports only.',
  },
  {
    regex: '^@nestjs/[^/]+/(.+/)?internal',
    message: "Use Nest's public API, not its internal modules.",
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: PACKAGE_INTERNALS }],
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
