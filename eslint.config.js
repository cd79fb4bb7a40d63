import js from '@eslint/js'
import tseslint from 'typescript-eslint'

// The layers of DESIGN.md: core/ and render/ are pure, so the action, the CLI and any later
// front-end share them. They import no adapter, no AWS or GitHub code, and core/ no renderer.
const IMPURE = [
  { group: ['**/aws/*', '**/sinks/*', '**/scan/*', '**/action/*', '**/cli/*'], message: 'core/ and render/ are pure: no AWS, sinks, scan, action or CLI code (DESIGN.md, Layout).' },
  { group: ['@actions/*', '@aws-sdk/*', '@smithy/*', '@octokit/*'], message: 'core/ and render/ are pure: no @actions, AWS SDK or Octokit (DESIGN.md, Layout).' }
]

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'coverage/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }]
    }
  },
  {
    files: ['src/render/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: IMPURE }],
      'no-restricted-globals': ['error', { name: 'process', message: 'render/ is pure: the adapters pass what it needs.' }]
    }
  },
  {
    // The scan, AWS and sink code serve both adapters: they depend on neither.
    files: ['src/aws/**', 'src/scan/**', 'src/sinks/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/action/*', '**/cli/*'], message: 'aws/, scan/ and sinks/ serve the action and the CLI alike: no adapter code.' }] }
      ]
    }
  },
  {
    files: ['src/core/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [...IMPURE, { group: ['**/render/*'], message: 'core/ sits below render/: it renders nothing.' }] }
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ is pure: the adapters pass the environment in.' }]
    }
  },
  {
    files: ['__tests__/**', 'bench/**', '__fixtures__/**'],
    rules: { 'no-console': 'off' }
  }
)
