/**
 * Branch-exchange local search with restarts, for feeders of any size.
 *
 * A move closes one open branch and opens another branch on the loop it closes, so every visited
 * configuration is radial and connected. Each descent takes the best move of the whole neighbourhood
 * until none improves; restarts perturb the best configuration by a few random exchanges or, every
 * few restarts, start from a random spanning tree (decoded from random branch priorities).
 */
import type { Rng } from '../rng.ts';
import { better, openKey, type Evaluator, type Score } from './evaluate.ts';

export interface LocalOptions {
  timeLimitMs?: number;
  maxRestarts?: number;
  start?: Uint8Array;
  shouldStop?: () => boolean;
  onImprove?: (closed: Uint8Array, s: Score) => void;
  now?: () => number;
}

export interface LocalResult {
  closed: Uint8Array | null;
  score: Score | null;
  restarts: number;
  descents: number;
  seconds: number;
}

/** One best-improvement descent from `start`; returns the local optimum. */
export function descend(ev: Evaluator, start: Uint8Array, shouldStop?: () => boolean): { closed: Uint8Array; score: Score } {
  const topo = ev.topo;
  const cur = start.slice();
  let curS = ev.score(cur);
  const cand = new Uint8Array(cur.length);
  for (;;) {
    let bestMove: [number, number] | null = null;
    let bestS: Score | null = curS;
    for (let e = 0; e < cur.length; e++) {
      if (cur[e] || topo.selfLoop[e]) continue;
      const path = topo.treePath(cur, topo.eu[e], topo.ev[e]);
      for (const f of path) {
        cand.set(cur);
        cand[e] = 1;
        cand[f] = 0;
        const s = ev.score(cand);
        if (better(s, bestS)) {
          bestS = s;
          bestMove = [e, f];
        }
      }
      if (shouldStop?.()) break;
    }
    if (!bestMove || shouldStop?.()) break;
    cur[bestMove[0]] = 1;
    cur[bestMove[1]] = 0;
    curS = bestS!;
  }
  return { closed: cur, score: curS };
}

export function randomTree(ev: Evaluator, rng: Rng): Uint8Array {
  const pr = Float64Array.from({ length: ev.c.branches.length }, () => rng.next());
  return ev.topo.decode(pr);
}

/** Applies `k` random branch exchanges to a radial configuration. */
export function perturb(ev: Evaluator, closed: Uint8Array, k: number, rng: Rng): Uint8Array {
  const topo = ev.topo;
  const cur = closed.slice();
  for (let t = 0; t < k; t++) {
    const open: number[] = [];
    for (let e = 0; e < cur.length; e++) if (!cur[e] && !topo.selfLoop[e]) open.push(e);
    if (!open.length) break;
    const e = open[rng.int(open.length)];
    const path = topo.treePath(cur, topo.eu[e], topo.ev[e]);
    if (!path.length) continue;
    cur[e] = 1;
    cur[path[rng.int(path.length)]] = 0;
  }
  return cur;
}

/**
 * Branch current magnitudes of the meshed network (every branch closed), the classic guide for
 * which branches to keep closed; null when the meshed network has no solution.
 */
export function meshedCurrents(ev: Evaluator): Float64Array | null {
  const c = ev.c;
  const all = new Uint8Array(c.branches.length).fill(1);
  for (let k = 0; k < all.length; k++) if (ev.topo.selfLoop[k]) all[k] = 0;
  const r = ev.solve(all);
  if (!r.ok) return null;
  return Float64Array.from(c.branches, (b, k) => {
    const vf = [r.vmPu[b.from] * Math.cos(r.vaRad[b.from]), r.vmPu[b.from] * Math.sin(r.vaRad[b.from])];
    const vt = [r.vmPu[b.to] * Math.cos(r.vaRad[b.to]), r.vmPu[b.to] * Math.sin(r.vaRad[b.to])];
    return all[k] ? Math.hypot(vf[0] - vt[0], vf[1] - vt[1]) / Math.hypot(b.rPu, b.xPu) : 0;
  });
}

/** A radial configuration keeping high-current branches closed, with log-normal noise (GRASP-like). */
export function guidedTree(ev: Evaluator, current: Float64Array, rng: Rng, sigma = 0.6): Uint8Array {
  const pr = Float64Array.from(current, (i) => -Math.log(i + 1e-12) + sigma * rng.normal());
  return ev.topo.decode(pr);
}

export function localSearch(ev: Evaluator, rng: Rng, opt: LocalOptions = {}): LocalResult {
  const now = opt.now ?? (() => performance.now());
  const t0 = now();
  const deadline = opt.timeLimitMs !== undefined ? t0 + opt.timeLimitMs : Infinity;
  const maxRestarts = opt.maxRestarts ?? Infinity;
  const stop = () => now() > deadline || (opt.shouldStop?.() ?? false);
  let best: Score | null = null;
  let bestClosed: Uint8Array | null = null;
  const seen = new Set<string>();
  let restarts = 0;
  let descents = 0;
  const guide = meshedCurrents(ev);
  const startOk = opt.start && ev.topo.isRadialConnected(opt.start);
  let start = startOk ? opt.start!.slice() : randomTree(ev, rng);
  for (;;) {
    const r = descend(ev, start, stop);
    descents++;
    seen.add(openKey(r.closed));
    if (better(r.score, best)) {
      best = r.score;
      bestClosed = r.closed.slice();
      opt.onImprove?.(bestClosed, best);
    }
    if (stop() || restarts >= maxRestarts) break;
    restarts++;
    let tries = 0;
    do {
      const mode = restarts % 3;
      if (bestClosed && mode === 1) start = perturb(ev, bestClosed, 2 + rng.int(3), rng);
      else if (bestClosed && mode === 2) start = perturb(ev, bestClosed, 5 + rng.int(4), rng);
      else start = guide ? guidedTree(ev, guide, rng) : randomTree(ev, rng);
    } while (seen.has(openKey(start)) && ++tries < 20);
  }
  return { closed: bestClosed, score: best, restarts, descents, seconds: (now() - t0) / 1000 };
}
