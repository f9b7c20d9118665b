import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import react from 'eslint-plugin-react';

// Client text is hostile: nothing may reach the DOM as HTML. react/no-danger catches the React
// prop; the syntax rule catches direct DOM writes.
const noHtmlSinks = [
  'error',
  { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'innerHTML is forbidden: render client text as text.' },
  { selector: "AssignmentExpression[left.property.name='outerHTML']", message: 'outerHTML is forbidden: render client text as text.' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'insertAdjacentHTML is forbidden.' },
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'dangerouslySetInnerHTML is forbidden.' },
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'wailsjs', 'e2e/screenshots'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, react },
    settings: { react: { version: '19.0' } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'react/no-danger': 'error',
      'react/jsx-no-target-blank': 'error',
      'no-restricted-syntax': noHtmlSinks,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['e2e/**/*.mjs', 'eslint.config.js', 'vite.config.ts'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-restricted-syntax': noHtmlSinks },
  },
);
