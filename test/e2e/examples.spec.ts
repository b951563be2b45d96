import { expect, test } from '@playwright/test';
import { shot } from './helpers.ts';

/** Every bundled example opens into its workbench's inspection view, with no error and no crash. */
test('every bundled example opens and draws its inspection', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const buttons = page.getByTestId('example');
  await expect(buttons.first()).toBeVisible();
  const ids = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
  expect(ids.length).toBeGreaterThanOrEqual(3);
  for (const id of ids) {
    await page.getByRole('link', { name: 'Home' }).click();
    await page.locator(`[data-testid="example"][data-id="${id}"]`).click();
    const domain = id.split('/')[0];
    await expect(page.getByTestId(`${domain}-inspect`), id).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('problem-error')).toHaveCount(0);
    if (domain === 'circuit') await expect(page.getByTestId('schematic').locator('g[data-device]').first(), id).toBeVisible({ timeout: 30_000 });
    if (domain === 'grid') expect(await page.getByTestId('grid-diagram').locator('g[data-bus]').count(), id).toBeGreaterThan(30);
    if (domain === 'mip') await expect(page.getByTestId('sparsity').locator('canvas'), id).toBeVisible();
    await shot(page, `example-${id.replace(/[^\w-]+/g, '_')}`);
  }
  expect(errors).toEqual([]);
});
