import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { frameStats, shot, startFrameProbe } from './helpers.ts';

test('MIP: inspect a bundled instance, run Balans, watch incumbent and arms, export the solution', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="mip/pk1"]').click();
  await expect(page.getByTestId('mip-inspect')).toBeVisible();
  await expect(page.getByTestId('problem-title')).toContainText('pk1');
  // Model summary: 45 rows x 86 columns, and a drawn sparsity picture.
  await expect(page.getByTestId('mip-inspect')).toContainText('45');
  await expect(page.getByTestId('mip-inspect')).toContainText('86');
  await expect(page.getByTestId('sparsity').locator('canvas')).toBeVisible();
  await shot(page, 'mip-inspect');

  const form = page.getByTestId('run-controls');
  await form.locator('select[name="method"]').selectOption('balans');
  await form.locator('input[name="timeLimit"]').fill('8');
  await form.locator('input[name="seed"]').fill('3');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-view')).toBeVisible();
  await startFrameProbe(page);

  // Live: the incumbent appears, the trace chart draws, and the bandit's arms fill in.
  await expect(page.getByTestId('mip-incumbent')).not.toHaveText('–', { timeout: 60_000 });
  await expect(page.locator('[data-testid="mip-trace-chart"] svg path[stroke]').first()).toBeVisible();
  await expect(page.getByTestId('arms-table').locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await shot(page, 'mip-run-live');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  const frames = await frameStats(page);
  console.log(`frame times during the MIP run: ${frames.frames} frames, p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`);

  // pk1's optimum is 11: a short Balans run gets a feasible incumbent at or above it (minimise).
  const incumbent = Number((await page.getByTestId('mip-incumbent').textContent())?.replace(/,/g, ''));
  expect(incumbent).toBeGreaterThanOrEqual(11 - 1e-6);
  const pulls = await page.getByTestId('arms-table').locator('tbody tr').count();
  expect(pulls).toBeGreaterThan(0);
  await shot(page, 'mip-run-done');

  // Export the solution (.sol from the engine) and check its contents.
  const solButton = page.locator('[data-testid="export"][data-file$=".sol"]');
  await expect(solButton).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), solButton.click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\n');
  expect(lines[0]).toMatch(/^=obj= /);
  expect(Number(lines[0].split(/\s+/)[1])).toBeCloseTo(incumbent, 6);
  expect(lines.length - 1).toBe(86); // one line per column
  // And the client-side CSV of the solution.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-solution-csv').click()]);
  const csvText = readFileSync(await csv.path(), 'utf8');
  expect(csvText.split('\n')[0]).toBe('column,value');
  expect(csvText.trim().split('\n').length - 1).toBe(86);
});
