import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shot, waitForRunEnd } from './helpers.ts';

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

  // Live: the incumbent appears, the trace chart draws, and the bandit's arms fill in.
  await expect(page.getByTestId('mip-incumbent')).not.toHaveText('–', { timeout: 60_000 });
  await expect(page.locator('[data-testid="mip-trace-chart"] svg path[stroke]').first()).toBeVisible();
  await expect(page.getByTestId('arms-table').locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  await shot(page, 'mip-run-live');
  expect(await waitForRunEnd(page)).toBe('done');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done');

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

test('compare: Balans against plain HiGHS on the same instance, side by side', async ({ page }) => {
  const ids: string[] = [];
  for (const method of ['balans', 'highs']) {
    await page.goto('/');
    await page.locator('[data-testid="example"][data-id="mip/gen-ip054"]').click();
    const form = page.getByTestId('run-controls');
    await form.locator('select[name="method"]').selectOption(method);
    await form.locator('input[name="timeLimit"]').fill('4');
    await page.getByTestId('start-run').click();
    await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
    ids.push(page.url().split('/run/')[1]);
  }
  await page.getByRole('link', { name: 'Runs' }).click();
  for (const id of ids) await page.locator(`[data-testid="run-row"][data-id="${id}"] input[type="checkbox"]`).check();
  await shot(page, 'runs-list-selected');
  await page.getByTestId('compare-selected').click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  const table = page.getByTestId('compare-table');
  await expect(table.locator('tr[data-label="method"] td[data-side="a"]')).toHaveText('balans');
  await expect(table.locator('tr[data-label="method"] td[data-side="b"]')).toHaveText('highs');
  // Both found a solution of gen-ip054 (optimum 6840.966, minimise): the objective is at or above it.
  for (const side of ['a', 'b']) {
    const obj = Number((await table.locator(`tr[data-label="objective"] td[data-side="${side}"]`).textContent())?.replace(/,/g, ''));
    expect(obj).toBeGreaterThanOrEqual(6840.96);
  }
  await expect(page.getByTestId('compare-chart').locator('svg path[stroke]').first()).toBeVisible();
  await shot(page, 'compare');
});
