// Lint for the whole project: the Taro app, the shared core, the cloud functions, the local cloud, scripts, tests.
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { ecmaVersion: 2022, sourceType: 'module', ecmaFeatures: { jsx: true } },
  plugins: ['@typescript-eslint', 'react', 'react-hooks'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended', 'plugin:react-hooks/recommended'],
  env: { node: true, browser: true, es2022: true, jest: true },
  globals: { defineAppConfig: 'readonly', definePageConfig: 'readonly', wx: 'readonly' },
  settings: { react: { version: '18' } },
  rules: {
    'react/jsx-uses-react': 'off',
    'react/react-in-jsx-scope': 'off',
    'react/jsx-key': 'error',
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    '@typescript-eslint/no-require-imports': 'off',
    '@typescript-eslint/no-var-requires': 'off',
    'no-console': 'off'
  },
  ignorePatterns: ['dist/', 'node_modules/', '.build/', 'cloudfunctions/*/index.js', 'coverage/', 'artifacts/']
}
