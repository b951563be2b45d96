import type { CDPSession, Page } from '@playwright/test';
import { loadavg } from 'node:os';
import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const SCREENSHOTS = resolve('test-results', 'screenshots');

/** Saves a full-page screenshot of the current view as a test artifact. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A full-page screenshot resizes and repaints the page: keep those frames out of the frame probe.
  const setPause = (on: boolean) => page.evaluate((v) => ((globalThis as unknown as { __framePause: number }).__framePause = v ? 1 : 2), on);
  await setPause(true);
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  await setPause(false);
}

type Metrics = Record<string, number>;
const probes = new WeakMap<Page, { cdp: CDPSession; start: Metrics; t0: number }>();

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const m = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));
}

/**
 * Starts collecting requestAnimationFrame deltas and long tasks in the page, and the renderer's
 * main-thread time (script, layout, style) through the DevTools protocol; read them with frameStats.
 */
export async function startFrameProbe(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  probes.set(page, { cdp, start: await metrics(cdp), t0: Date.now() });
  await page.evaluate(() => {
    // Runs in the page; typed without the DOM lib (this file is compiled for Node).
    const w = globalThis as unknown as {
      __frames: number[];
      __longTasksMs: number[];
      __frameProbe: boolean;
      /** 1 while a screenshot is taken, 2 for the first frame after it (both left out). */
      __framePause?: number;
      requestAnimationFrame: (cb: (t: number) => void) => void;
      PerformanceObserver: new (cb: (list: { getEntries(): { duration: number }[] }) => void) => { observe(o: object): void };
    };
    w.__frames = [];
    w.__longTasksMs = [];
    if (w.__frameProbe) return;
    w.__frameProbe = true;
    // Long tasks (> 50 ms of main-thread work) say whether slow frames are the page's own doing.
    try {
      new w.PerformanceObserver((list) => {
        if (!w.__framePause) for (const e of list.getEntries()) w.__longTasksMs.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    } catch {
      /* not supported */
    }
    let last = performance.now();
    const tick = (t: number) => {
      if (!w.__framePause) w.__frames.push(t - last);
      else if (w.__framePause === 2) w.__framePause = 0;
      last = t;
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  longTasks: number;
  longTaskMs: number;
  /** Seconds of the probe, and main-thread seconds spent in script, layout and style in that time. */
  seconds: number;
  scriptS: number;
  layoutS: number;
  styleS: number;
  /** 1-minute load average of the machine at the end (the UI shares the cores with the engine). */
  load1: number;
}

export async function frameStats(page: Page): Promise<FrameStats> {
  const { deltas, longs } = await page.evaluate(() => {
    const w = globalThis as unknown as { __frames: number[]; __longTasksMs: number[] };
    return { deltas: w.__frames.slice(1), longs: w.__longTasksMs.slice() };
  });
  const s = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN);
  const probe = probes.get(page);
  const end = probe ? await metrics(probe.cdp) : {};
  const d = (k: string) => (probe ? (end[k] ?? 0) - (probe.start[k] ?? 0) : NaN);
  return {
    frames: s.length,
    p50: q(0.5),
    p95: q(0.95),
    max: s.length ? s[s.length - 1] : NaN,
    longTasks: longs.length,
    longTaskMs: longs.reduce((a, b) => a + b, 0),
    seconds: probe ? (Date.now() - probe.t0) / 1000 : NaN,
    scriptS: d('ScriptDuration'),
    layoutS: d('LayoutDuration'),
    styleS: d('RecalcStyleDuration'),
    load1: loadavg()[0],
  };
}

/** Appends one frame-time measurement to test-results/ui-frames.jsonl (figures for docs/benchmarks.md). */
export function recordFrames(label: string, f: FrameStats): void {
  mkdirSync(resolve('test-results'), { recursive: true });
  appendFileSync(resolve('test-results', 'ui-frames.jsonl'), JSON.stringify({ label, at: new Date().toISOString(), ...f }) + '\n');
  console.log(
    `${label}: ${f.frames} frames in ${f.seconds.toFixed(1)} s, p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms, ` +
      `${f.longTasks} long tasks (${f.longTaskMs.toFixed(0)} ms); main thread: script ${f.scriptS.toFixed(2)} s, layout ${f.layoutS.toFixed(2)} s, style ${f.styleS.toFixed(2)} s; load ${f.load1.toFixed(1)}`,
  );
}

/**
 * Waits for the run on screen to end by asking the engine from the test process (no polling inside
 * the page, so a frame probe running meanwhile measures the UI alone). Returns the final state.
 */
export async function waitForRunEnd(page: Page, timeoutMs = 180_000): Promise<string> {
  const id = decodeURIComponent(new URL(page.url()).hash.split('/run/')[1] ?? '');
  if (!id) throw new Error(`not on a run view: ${page.url()}`);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // jobs.list (summaries) rather than jobs.get, whose progress history is large: keep the engine's load low.
    const res = await page.request.post(`api/jobs.list`, { data: {} });
    const env = (await res.json()) as { ok: boolean; value?: { id: string; state: string }[] };
    const state = env.value?.find((j) => j.id === id)?.state;
    if (state && state !== 'running' && state !== 'queued') return state;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`run ${id} did not end within ${timeoutMs} ms`);
}
