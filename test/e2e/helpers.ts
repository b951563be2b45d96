import type { Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const SCREENSHOTS = resolve('test-results', 'screenshots');

/** Saves a full-page screenshot of the current view as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Starts collecting requestAnimationFrame deltas in the page (read them with frameStats). */
export async function startFrameProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page; typed without the DOM lib (this file is compiled for Node).
    const w = globalThis as unknown as { __frames: number[]; __frameProbe: boolean; requestAnimationFrame: (cb: (t: number) => void) => void };
    w.__frames = [];
    if (w.__frameProbe) return;
    w.__frameProbe = true;
    let last = performance.now();
    const tick = (t: number) => {
      w.__frames.push(t - last);
      last = t;
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

export async function frameStats(page: Page): Promise<{ frames: number; p50: number; p95: number; max: number }> {
  const deltas = await page.evaluate(() => (globalThis as unknown as { __frames: number[] }).__frames.slice(1));
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
  return { frames: s.length, p50: q(0.5), p95: q(0.95), max: s.length ? s[s.length - 1] : NaN };
}
