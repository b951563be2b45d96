import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { shot, waitForRunEnd } from './helpers.ts';

test('circuit: schematic and tables of the three-stage TIA', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="circuit/three-stage-tia"]').click();
  await expect(page.getByTestId('circuit-inspect')).toBeVisible();
  // 17 transistors, RB, the load, input capacitors and the sources are drawn; the devices sized by a
  // design variable (the nine widths and RB) are highlighted.
  const sch = page.getByTestId('schematic');
  await expect(sch.locator('g[data-device]').first()).toBeVisible({ timeout: 30_000 });
  expect(await sch.locator('g[data-device^="m"]').count()).toBe(17);
  await expect(sch.locator('g[data-device="rb"].var')).toHaveCount(1);
  await expect(sch.locator('g[data-device="m1a"].var')).toHaveCount(1);
  await expect(sch.locator('g[data-device="rl"].var')).toHaveCount(0);
  await expect(sch.locator('text.sch-net', { hasText: 'vouta' })).toHaveCount(1);
  // Variables (10, bounds in the file's units) and specs (3 hard constraints, 2 targets).
  await expect(page.getByTestId('variables-table').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('variables-table')).toContainText('15 µm');
  await expect(page.getByTestId('specs-table').locator('tbody tr')).toHaveCount(5);
  await expect(page.getByTestId('specs-table')).toContainText('20.24 kOhm');
  await shot(page, 'circuit-inspect');
});

test('circuit: size the Miller op-amp with CMA-ES, watch constraints and the Pareto front, export a design', async ({ page }) => {
  await page.goto('/');
  await page.locator('[data-testid="example"][data-id="circuit/miller-opamp-130nm"]').click();
  await expect(page.getByTestId('circuit-inspect')).toBeVisible();
  const form = page.getByTestId('run-controls');
  await form.locator('select[name="agent"]').selectOption('cmaes');
  await form.locator('input[name="budget"]').fill('80');
  await form.locator('input[name="seed"]').fill('1');
  await form.locator('input[name="workers"]').fill('2');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('circuit-live')).toBeVisible();

  // Every hard constraint gets a chart that fills with simulated values.
  const charts = page.getByTestId('constraint-chart');
  await expect(charts.first()).toBeVisible();
  const n = await charts.count();
  expect(n).toBeGreaterThanOrEqual(3);
  await expect(charts.first().locator('svg path[stroke-linecap="round"]').first()).toBeVisible({ timeout: 120_000 });
  await shot(page, 'circuit-run-live');
  expect(await waitForRunEnd(page)).toBe('done');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done');

  // With seed 1, CMA-ES meets every constraint within 80 simulations: the first feasible design is
  // flagged, the best-so-far curve and the targets chart are drawn, and the front has points.
  await expect(page.getByTestId('first-feasible')).toContainText('first feasible design at simulation');
  for (let i = 0; i < n; i++) {
    const title = await charts.nth(i).locator('.plot-title').textContent();
    const m = /(\d+) of (\d+) met/.exec(title ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('best-chart').locator('svg path[stroke]').first()).toBeVisible();
  await expect(page.getByTestId('targets-chart').locator('svg path[stroke]').first()).toBeVisible();
  const pts = page.getByTestId('pareto-2d').locator('circle.plot-pt:not([data-key="ref"])');
  expect(await pts.count()).toBeGreaterThan(0);
  await shot(page, 'circuit-run-done');

  // Select a Pareto design: its parameters and metrics appear; export it and check the file.
  const key = await pts.first().getAttribute('data-key');
  await pts.first().click();
  await expect(page.getByTestId('selected-design')).toContainText(`Pareto design #${key}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-design-json').click()]);
  const design = JSON.parse(readFileSync(await dl.path(), 'utf8')) as { params: Record<string, number>; metrics: Record<string, number> };
  expect(Object.keys(design.params).length).toBe(8);
  for (const v of Object.values(design.params)) expect(v).toBeGreaterThan(0);
  expect(design.metrics.power).toBeGreaterThan(0);
  const [inc] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-design-param').click()]);
  const incText = readFileSync(await inc.path(), 'utf8');
  for (const k of Object.keys(design.params)) expect(incText).toContain(`.param ${k} = `);

  // 3D view of the front (three.js) when WebGL is available.
  await page.getByTestId('pareto-3d-toggle').click();
  await expect(page.getByTestId('pareto-3d').or(page.getByText('The 3D view needs WebGL'))).toBeVisible();
  await shot(page, 'circuit-pareto-3d');

  // The engine's exports of the best design: the sized netlist.
  const netBtn = page.locator('[data-testid="export"][data-file$=".sized.cir"]');
  const [net] = await Promise.all([page.waitForEvent('download'), netBtn.click()]);
  const netText = readFileSync(await net.path(), 'utf8');
  expect(netText.toLowerCase()).toContain('.end');
});
