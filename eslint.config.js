// Lint rules, including the layering of ../shared/design/ARCHITECTURE.md: the folder says where a
// file runs, and these rules fail the build when it imports what that runtime must not touch.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'];
const UI_LIBS = ['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'three'];
const restrict = (names, message) => names.map((name) => ({ name, message }));
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'runs/**', '.*', '**/*.d.ts', '*-probe.ts', '.helper-briefs/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['simulators/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...restrict(['electron'], 'simulators/ runs in any JS runtime: no Electron.'),
            ...restrict(UI_LIBS, 'simulators/ has no UI: no React or three.'),
            ...restrict(NODE_BUILTINS, 'simulators/ takes text and returns models: only main/ touches files and processes.'),
          ],
          patterns: [pattern(['**/main/**', '**/renderer/**', '**/preload/**'], 'simulators/ imports only itself and small pure libraries.')],
        },
      ],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [pattern(['**/main/**', '**/renderer/**', '**/simulators/**', 'electron', 'react', 'three', 'node:*'], 'contract/ is types and schemas only (zod).')] },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...restrict(['electron'], 'Only main/electron/ may import Electron: the engine runs in plain Node (CLI, web mode).'),
            ...restrict(UI_LIBS, 'The engine never imports React or three.'),
          ],
          patterns: [pattern(['**/renderer/**', '**/preload/**'], 'The engine does not import the renderer or the preload.')],
        },
      ],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: restrict(UI_LIBS, 'The Electron main process has no React or three.'), patterns: [pattern(['**/renderer/**'], 'main does not import the renderer.')] }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...restrict(UI_LIBS, 'The preload exposes the bridge only.'), ...restrict(NODE_BUILTINS, 'The sandboxed preload has no Node file or process access.')],
          patterns: [pattern(['**/main/**', '**/renderer/**', '**/simulators/**'], 'The preload imports only electron and contract types.')],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: restrict(['electron', ...NODE_BUILTINS], 'The renderer reaches the engine only through window.api / the web client.'),
          patterns: [pattern(['node:*', '**/main/**', '**/preload/**', '**/simulators/**'], 'The renderer imports only react, three, layout libs and contract/.')],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.mjs', '*.config.ts', '*.config.js'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
