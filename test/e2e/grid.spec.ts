import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shot, waitForRunEnd } from './helpers.ts';

const OPTIMUM_OPEN = [7, 9, 14, 32, 37];

test('grid: inspect case33bw, reconfigure it exactly, watch the diagram, pick a Pareto point, export', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="grid/case33bw"]').click();
  await expect(page.getByTestId('grid-inspect')).toBeVisible();
  // One-line diagram: 33 buses, 37 branches of which the 5 ties are open (dashed).
  const diagram = page.getByTestId('grid-diagram');
  await expect(diagram.locator('g[data-bus]')).toHaveCount(33);
  await expect(diagram.locator('path[data-row]')).toHaveCount(37);
  await expect(diagram.locator('path[data-open="1"]')).toHaveCount(5);
  await expect(page.getByTestId('grid-base-loss')).toContainText('202.6');
  await shot(page, 'grid-inspect');

  const form = page.getByTestId('run-controls');
  await form.locator('select[name="agent"]').selectOption('exhaustive');
  await form.locator('input[name="timeLimit"]').fill('20');
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-view')).toBeVisible();
  await expect(page.getByTestId('grid-live')).toBeVisible();
  expect(await waitForRunEnd(page)).toBe('done');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done');
  await expect(page.locator('[data-testid="grid-loss-chart"] svg path[stroke]').first()).toBeVisible();

  // The proven optimum of case33bw: 139.55 kW with rows {7, 9, 14, 32, 37} open.
  await expect(page.getByTestId('grid-best-loss')).toContainText('139.5');
  const live = page.getByTestId('grid-config').getByTestId('grid-diagram');
  const open = await live.locator('path[data-open="1"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-row'))).sort((a, b) => a - b));
  expect(open).toEqual(OPTIMUM_OPEN);
  await expect(page.getByTestId('switching-sequence').locator('li')).toHaveCount(8); // 4 ties closed and 4 lines opened (row 37 stays open)
  await shot(page, 'grid-run-done');
  // The same view in the dark theme (system -> light -> dark).
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'grid-run-done-dark');

  // Select a point of the loss / switching-operations front: the diagram shows that configuration.
  const pts = page.getByTestId('grid-pareto').locator('circle.plot-pt');
  expect(await pts.count()).toBeGreaterThan(1);
  await pts.first().click();
  await expect(page.getByTestId('grid-config')).toContainText('switching operations');
  await shot(page, 'grid-pareto-selected');
  const [planDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-config-json').click()]);
  const plan = JSON.parse(readFileSync(await planDl.path(), 'utf8')) as { openBranches: number[]; lossKw: number; switchingSequence: unknown[] };
  expect(plan.openBranches.length).toBe(5);
  expect(plan.lossKw).toBeGreaterThanOrEqual(139.5);
  await page.getByRole('button', { name: 'Show best' }).click();

  // The engine's exports: the case file with the new branch status, readable by MATPOWER.
  const caseBtn = page.locator('[data-testid="export"][data-file$="_reconfigured.m"]');
  const [caseDl] = await Promise.all([page.waitForEvent('download'), caseBtn.click()]);
  const text = readFileSync(await caseDl.path(), 'utf8');
  expect(text).toMatch(/function mpc = \w+_reconfigured/);
  const csvBtn = page.locator('[data-testid="export"][data-file$="_switch_plan.csv"]');
  const [csvDl] = await Promise.all([page.waitForEvent('download'), csvBtn.click()]);
  const csv = readFileSync(await csvDl.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('step,branch_row,from_bus,to_bus,action');
  const opened = csv.slice(1).filter((l) => l.endsWith('open')).map((l) => Number(l.split(',')[1]));
  for (const r of opened) expect(OPTIMUM_OPEN).toContain(r);
});
