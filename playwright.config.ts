/**
 * End-to-end tests: Debian's Chromium drives the web mode (`optiloop serve`) on a fixed local port,
 * with a fresh runs directory per test session. Build the renderer first (`npm run build`).
 * Screenshots of every view are written to test-results/screenshots/ as artifacts.
 */
import { defineConfig } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const E2E_PORT = 47391;
/** Point the tests at an engine already serving (e.g. `npx optiloop serve`) instead of starting one. */
const external = process.env.OPTILOOP_E2E_URL;
// One runs directory per session; set once in the main process so that workers agree on it.
process.env.OPTILOOP_E2E_RUNS ??= resolve('test-results', 'e2e-runs', `session-${Date.now()}`);
const runsDir = process.env.OPTILOOP_E2E_RUNS;
mkdirSync(runsDir, { recursive: true });

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: external ?? `http://127.0.0.1:${E2E_PORT}/`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
  },
  webServer: external
    ? undefined
    : {
    command: `node bin/optiloop.mjs serve --port ${E2E_PORT} --runs-dir "${runsDir}"`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
