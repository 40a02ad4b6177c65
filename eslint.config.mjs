// Lint only for bugs the type checker does not catch: promises nobody awaits or handles, promises passed
// where a callback's return value is ignored, awaits of non-promises. Style is Prettier's job.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'generated/**',
      'examples/*/generated/**',
      'node_modules/**',
      '.tmp/**',
      'bench/**',
      'scripts/**',
      'test/**',
      '**/*.mjs',
    ],
  },
  {
    files: ['src/**/*.ts', 'examples/**/*.ts', 'examples/**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
);
