/**
 * Frame times of the run view while a job streams progress into it (figures for docs/benchmarks.md,
 * appended to test-results/ui-frames.jsonl; no timing assertions). The test does not poll inside
 * the page and takes no screenshot while measuring, so the probe sees the UI's own work.
 */
import { expect, test } from '@playwright/test';
import { frameStats, recordFrames, startFrameProbe, waitForRunEnd } from './helpers.ts';

test('frame times: circuit run view with every chart live (CMA-ES, 80 simulations)', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="circuit/miller-opamp-130nm"]').click();
  const form = page.getByTestId('run-controls');
  await form.locator('select[name="agent"]').selectOption('cmaes');
  await form.locator('input[name="budget"]').fill('80');
  await form.locator('input[name="seed"]').fill('2');
  await form.locator('input[name="workers"]').fill('2');
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('circuit-live')).toBeVisible();
  await startFrameProbe(page);
  expect(await waitForRunEnd(page)).toBe('done');
  const f = await frameStats(page);
  recordFrames('circuit cmaes miller 80 sims, run view', f);
  expect(f.frames).toBeGreaterThan(0);
});

test('frame times: grid run view redrawing a 136-bus diagram (local search, 8 s)', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="grid/case136ma"]').click();
  const form = page.getByTestId('run-controls');
  await form.locator('select[name="agent"]').selectOption('local');
  await form.locator('input[name="timeLimit"]').fill('8');
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('grid-live')).toBeVisible();
  await startFrameProbe(page);
  expect(await waitForRunEnd(page)).toBe('done');
  const f = await frameStats(page);
  recordFrames('grid local case136ma 8 s, run view', f);
  expect(f.frames).toBeGreaterThan(0);
});
