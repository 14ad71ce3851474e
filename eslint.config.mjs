// Lint: correctness rules that the type checker does not catch, and the Nx module boundaries
// (web never imports server code; apps are not imported by libs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', 'libs/server/db/src/generated/**', '**/*.cjs', '**/*.mjs', 'apps/web/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'] },
            // the terminal client: the contract, and the web's pure client logic (no DOM, no React)
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'runtime:any'] },
          ],
        },
      ],
    },
  },
  // e2e suites boot the apps' own root modules, which is what they exist to test.
  { files: ['apps/api-e2e/**/*.ts', 'apps/web-e2e/**/*.ts', 'apps/cli-e2e/**/*.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
);
