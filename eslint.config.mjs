// Lint keeps the layering true: libs import no Nest/Kafka/QuestDB code except
// in their adapters, nobody deep-imports another lib or package, services
// never import each other (the CLI, the composition root, imports them as
// packages), and no import climbs two or more folders up into another
// package (`../../x`): packages are imported by name.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.infra/**', '.cache/**', 'out/**', '**/*.js', '**/*.mjs', 'libs/optimizer/native/target/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@alphafeed/*/*'],
              message: 'Import a lib through its index (@alphafeed/<lib>), never its folders.',
            },
            { group: ['rxjs/internal/*'], message: 'rxjs/internal is private API.' },
            {
              group: ['../../*'],
              message:
                'Import another lib or service by its package name (@alphafeed/<lib>, @alphafeed/service-<name>), not by a relative path.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: [
      'libs/bus/**',
      'libs/store/**',
      'libs/pipeline/**',
      'libs/runtime/**',
      'libs/stream-testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@alphafeed/*/*'],
              message: 'Import a lib through its index (@alphafeed/<lib>), never its folders.',
            },
            {
              group: ['../../*'],
              message:
                'Import another lib or service by its package name (@alphafeed/<lib>, @alphafeed/service-<name>), not by a relative path.',
            },
            {
              group: ['@nestjs/*', 'kafkajs', '@questdb/*'],
              message:
                'Domain libs stay free of Nest, Kafka and QuestDB; put adapters in libs/bus or libs/store.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['services/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@alphafeed/*/*'],
              message: 'Import a lib through its index (@alphafeed/<lib>), never its folders.',
            },
            {
              group: ['../../*'],
              message:
                'Import another lib or service by its package name (@alphafeed/<lib>, @alphafeed/service-<name>), not by a relative path.',
            },
            {
              group: ['@alphafeed/service-*'],
              message: 'Services never import each other; they talk through topics.',
            },
          ],
        },
      ],
    },
  },
  {
    // Parquet I/O, training and the bus are async: a call whose promise is
    // dropped runs after the caller believes it finished (a test that checks
    // nothing, a file written after the process reported success).
    files: ['**/*.ts'],
    ignores: ['libs/*/scripts/**'], // small scripts outside the TypeScript project
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
);
