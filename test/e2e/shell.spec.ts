import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

test('opens the app and shows the home view', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home-view')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Optiloop' })).toBeVisible();
  await expect(page.getByTestId('engine-card')).toContainText('web');
  await shot(page, 'home-light');
  // Dark theme: the toggle cycles system -> light -> dark.
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shot(page, 'home-dark');
  await page.getByTestId('theme-toggle').click();
});

test('runs the demo job and shows its progress to the end', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-budget').fill('600');
  await page.getByTestId('demo-delay').fill('2');
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('run-view')).toBeVisible();
  // Progress arrives: the evaluation counter moves and the best-so-far chart gets a line.
  await expect(page.getByTestId('evaluations')).not.toHaveText('0');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('evaluations')).toHaveText('600');
  await expect(page.locator('[data-testid="best-chart"] svg path').first()).toBeVisible();
  await expect(page.getByTestId('result-facts')).toContainText('evaluations');
  await shot(page, 'run-demo-done');
  // The run is listed in Runs.
  await page.getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByTestId('run-row').first()).toContainText('done');
  await shot(page, 'runs-list');
});

test('cancels a running job with the Stop button and with the keyboard', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-budget').fill('200000');
  await page.getByTestId('demo-delay').fill('5');
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('evaluations')).not.toHaveText('0');
  await shot(page, 'run-demo-running');
  await page.getByTestId('stop-run').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'cancelled');
  const evals = Number((await page.getByTestId('evaluations').textContent())?.replace(/,/g, ''));
  expect(evals).toBeGreaterThan(0);
  expect(evals).toBeLessThan(200000);

  // Escape stops the run on screen too.
  await page.goto('/');
  await page.getByTestId('run-demo').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('evaluations')).not.toHaveText('0');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'cancelled');
  await shot(page, 'run-demo-cancelled');
  const stoppedAt = Number((await page.getByTestId('evaluations').textContent())?.replace(/,/g, ''));

  // A cancelled run resumes from its journal: the count goes on from where it stopped.
  await page.getByTestId('resume-run').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'running');
  await expect
    .poll(async () => Number((await page.getByTestId('evaluations').textContent())?.replace(/,/g, '')), { timeout: 30_000 })
    .toBeGreaterThan(stoppedAt);
  await page.keyboard.press('Control+.');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-state', 'cancelled');
});

test('a bad file shows its name, line and message next to the text; the app stays up', async ({ page }) => {
  await page.goto('/');
  const text = ['function mpc = bad', "mpc.version = '2';", 'mpc.baseMVA = 100;', 'mpc.bus = [', '  1 3 0 0 0 0 1 1 0 12.66 1 1.1 0.9;', '  2 1 100 60 oops 0 1 1 0 12.66 1 1.1 0.9;', '];'].join('\n');
  await page.getByTestId('file-input').setInputFiles({ name: 'broken_case.m', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await expect(page.getByTestId('problem-error')).toBeVisible();
  await expect(page.getByTestId('file-error-location')).toHaveText('broken_case.m:6');
  await expect(page.getByTestId('file-error-message')).toContainText('oops');
  // The offending line is highlighted in the file's text, with the message under it.
  await expect(page.getByTestId('error-line')).toContainText('2 1 100 60 oops');
  await expect(page.getByTestId('error-line').locator('td.ln')).toHaveText('6');
  await shot(page, 'file-error');

  // Dropping a file works like opening it: a file nobody opens gets a clear message.
  await page.evaluate(() => {
    const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string) => unknown; dispatchEvent(e: unknown): boolean; DragEvent: new (t: string, i: object) => unknown };
    const dt = new g.DataTransfer();
    dt.items.add(new g.File(['hello'], 'notes.xyz'));
    for (const type of ['dragenter', 'dragover', 'drop']) g.dispatchEvent(new g.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.locator('h1')).toHaveText('notes.xyz');
  await expect(page.getByTestId('file-error-message')).toContainText('not a file Optiloop opens');
  // The app is still usable.
  await page.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByTestId('home-view')).toBeVisible();
});

test('keyboard: Ctrl+O opens the file dialog, runs are reachable with Tab and Enter', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home-view')).toBeVisible();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Control+o')]);
  // Several files at once: a problem file with the netlist and libraries it includes.
  expect(chooser.isMultiple()).toBe(true);
  // Focus the first run of the recent-runs table and open it with Enter.
  const row = page.getByTestId('recent-runs').getByTestId('run-row').first();
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-view')).toBeVisible();
});
