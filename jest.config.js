/**
 * Test layers (see README): unit tests of the shared core, function tests against the local cloud,
 * weapp page tests on the production weapp build, end-to-end journeys in headless Chromium.
 * `npm test` (scripts/test.mjs) builds what each layer needs and runs them all.
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2020', transform: { react: { runtime: 'automatic' } } } }]
const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/src/$1' },
  testEnvironment: 'node'
}
module.exports = {
  // Generous: cold worker starts on a loaded 2-core CI machine are slow. Speed is measured by `npm run bench`, not here.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/demo/**/*.test.ts', '<rootDir>/database/**/*.test.ts'] },
    { ...common, displayName: 'functions', testMatch: ['<rootDir>/server/**/*.test.ts', '<rootDir>/localcloud/**/*.test.ts'] },
    { ...common, displayName: 'weapp', testMatch: ['<rootDir>/tests/weapp/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'] }
  ]
}
