// ESLint flat config: TypeScript + React + hooks rules for the plugin bundle, dev host page and tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
    {ignores: ['dist/', 'node_modules/', 'tests/browser/out/']},
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        plugins: {react, 'react-hooks': reactHooks},
        languageOptions: {globals: {...globals.browser}},
        settings: {react: {version: '18'}},
        rules: {
            ...react.configs.recommended.rules,
            ...reactHooks.configs.recommended.rules,
            'react/prop-types': 'off',
            '@typescript-eslint/no-explicit-any': 'error',
            '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
            eqeqeq: ['error', 'always'],
            'no-console': ['error', {allow: ['warn', 'error']}],
        },
    },
    {
        files: ['**/*.{js,mjs}'],
        languageOptions: {globals: {...globals.node}},
    },
);
