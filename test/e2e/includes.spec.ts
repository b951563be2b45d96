import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// A user's copy of the three-stage TIA (one comment changed, so no bundled example matches it):
// problem.yaml names its netlist, which includes a model library.
const DIR = resolve('resources/circuits/three-stage-tia');
const read = (f: string) => readFileSync(resolve(DIR, f), 'utf8');
const problem = read('problem.yaml').replace('# Three-stage transimpedance amplifier', '# A user copy of the three-stage transimpedance amplifier');
const files = [
  { name: 'three_stage.cir', text: read('three_stage.cir') },
  { name: 'problem.yaml', text: problem },
  { name: 'ee114.lib', text: read('ee114.lib') },
];

test('a problem file opened alone says which files to add', async ({ page }) => {
  expect(problem).not.toBe(read('problem.yaml'));
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles({ name: 'problem.yaml', mimeType: 'text/plain', buffer: Buffer.from(problem) });
  await expect(page.getByTestId('problem-error')).toBeVisible();
  await expect(page.getByTestId('file-error-location')).toHaveText('problem.yaml:10');
  await expect(page.getByTestId('file-error-message')).toContainText("cannot read netlist 'three_stage.cir': open it together with problem.yaml");
});

test('selecting problem.yaml with its netlist and library inspects the problem', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'text/plain', buffer: Buffer.from(f.text) })));
  await expect(page.getByTestId('circuit-inspect')).toBeVisible();
  await expect(page.getByTestId('problem-error')).toHaveCount(0);
  await expect(page.getByTestId('variables-table').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('specs-table').locator('tbody tr')).toHaveCount(5);
});

test('dropping problem.yaml with its netlist and library inspects the problem', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('home-view')).toBeVisible();
  await page.evaluate((list) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      File: new (parts: string[], name: string) => unknown;
      dispatchEvent(e: unknown): boolean;
      DragEvent: new (t: string, i: object) => unknown;
    };
    const dt = new g.DataTransfer();
    for (const f of list) dt.items.add(new g.File([f.text], f.name));
    for (const type of ['dragenter', 'dragover', 'drop']) g.dispatchEvent(new g.DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  await expect(page.getByTestId('circuit-inspect')).toBeVisible();
  await expect(page.getByTestId('variables-table').locator('tbody tr')).toHaveCount(10);
  await expect(page.getByTestId('schematic').locator('g[data-device^="m"]')).toHaveCount(17);
});
