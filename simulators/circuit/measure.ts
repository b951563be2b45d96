/**
 * The measurement library: metrics a problem file names, computed from ngspice plots (typed
 * vectors) and the netlist. Results in SI: W, Hz, Ohm (or V/V), m^2, s, V/s, V/sqrt(Hz), A/sqrt(Hz);
 * phase margin in degrees; gains in dB only where `db: true` (or `peaking`, always dB).
 */
import type { MeasureSpec, CircuitProblem } from './problem.ts';
import { parseOutputExpr } from './problem.ts';
import type { Plot } from './raw.ts';
import type { DeviceDef, ModelDef } from './netlist.ts';
import { evalExpr } from './expr.ts';

export interface SimPlots {
  op?: Plot;
  ac?: Plot;
  noise?: Plot;
  noiseTotal?: Plot;
  tran?: Plot;
  dc?: Plot;
}

export interface MeasureContext {
  devices: DeviceDef[];
  models: ModelDef[];
  /** Resolved `.param` values (lower-case names), design values included. */
  params: Map<string, number>;
}

export class MeasureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasureError';
  }
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new MeasureError(`no ${what} results`);
  return x;
}

/** The complex response of `out` (a sum of raw vectors) divided by `per`. */
export function response(plot: Plot, out: string, per = 1): { re: Float64Array; im: Float64Array } {
  const n = plot.points;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (const t of parseOutputExpr(out)) {
    const v = plot.vectors.get(t.vec);
    if (!v) {
      if (t.vec === 'v(0)' || t.vec === 'v(gnd)') continue;
      throw new MeasureError(`no vector ${t.vec} in the ${plot.plotname} results`);
    }
    for (let i = 0; i < n; i++) {
      re[i] += (t.coef * v.re[i]) / per;
      if (v.im) im[i] += (t.coef * v.im[i]) / per;
    }
  }
  return { re, im };
}

/**
 * Math.hypot(x, y) for two numbers, bit for bit (V8 scales by the larger magnitude and sums the
 * squares with Kahan's compensation, which stays 0 for two terms), but inlined: Math.hypot's
 * generic arguments path cost 0.1 ms per 8001-point response.
 */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax === Infinity || ay === Infinity) return Infinity;
  if (ax !== ax || ay !== ay) return NaN;
  const max = ax > ay ? ax : ay;
  if (max === 0) return 0;
  const a = ax / max;
  const b = ay / max;
  return Math.sqrt(a * a + b * b) * max;
}

export function magnitude(r: { re: Float64Array; im: Float64Array }): Float64Array {
  const m = new Float64Array(r.re.length);
  for (let i = 0; i < m.length; i++) m[i] = Math.hypot(r.re[i], r.im[i]);
  return m;
}

/** Phase in degrees, unwrapped along the sweep. */
export function phaseDeg(r: { re: Float64Array; im: Float64Array }): Float64Array {
  const p = new Float64Array(r.re.length);
  let offset = 0;
  let prev = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (Math.atan2(r.im[i], r.re[i]) * 180) / Math.PI;
    if (i > 0) {
      if (a - prev > 180) offset -= 360;
      else if (a - prev < -180) offset += 360;
    }
    p[i] = a + offset;
    prev = a;
  }
  return p;
}

const db = (x: number) => 20 * Math.log10(x);

function freqs(plot: Plot): Float64Array {
  return plot.scale.re;
}

/** Linear interpolation of y at x between samples (x ascending); in log-x when logX. */
function interpAt(x: Float64Array, y: Float64Array, at: number, logX = true): number {
  const n = x.length;
  if (n === 0) return NaN;
  if (at <= x[0]) return y[0];
  if (at >= x[n - 1]) return y[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= at) lo = mid;
    else hi = mid;
  }
  const fx = (v: number) => (logX ? Math.log(v) : v);
  const t = (fx(at) - fx(x[lo])) / (fx(x[hi]) - fx(x[lo]));
  return y[lo] + t * (y[hi] - y[lo]);
}

/** First x (from index `from`) where y falls to `level` or below, interpolated (log x); null if never. */
function firstFall(x: Float64Array, y: Float64Array, level: number, from = 0): number | null {
  for (let i = Math.max(1, from + 1); i < y.length; i++) {
    if (y[i] <= level && y[i - 1] > level) {
      const t = (level - y[i - 1]) / (y[i] - y[i - 1]);
      return Math.exp(Math.log(x[i - 1]) + t * (Math.log(x[i]) - Math.log(x[i - 1])));
    }
  }
  return null;
}

function argmax(y: Float64Array): number {
  let k = 0;
  for (let i = 1; i < y.length; i++) if (y[i] > y[k]) k = i;
  return k;
}

/** A response along a sweep with its gain in dB (20 log10 |H|). */
interface Gain {
  r: { re: Float64Array; im: Float64Array };
  gdb: Float64Array;
}

/**
 * Responses already computed in one `measureAll` (per plot, then per `out` and `per`): the
 * three-stage TIA's gain and bandwidth read the same 8001-point response.
 */
export type GainCache = WeakMap<Plot, Map<string, Gain>>;

/** The response `out / per` of a plot and its gain in dB, from the cache when it holds them. */
function gainOf(plot: Plot, out: string, per: number, cache?: GainCache): Gain {
  const key = `${per} ${out}`;
  let byPlot = cache?.get(plot);
  const hit = byPlot?.get(key);
  if (hit) return hit;
  const r = response(plot, out, per);
  const gdb = new Float64Array(r.re.length);
  for (let i = 0; i < gdb.length; i++) gdb[i] = db(hypot(r.re[i], r.im[i]));
  const g = { r, gdb };
  if (cache) {
    if (!byPlot) {
      byPlot = new Map();
      cache.set(plot, byPlot);
    }
    byPlot.set(key, g);
  }
  return g;
}

/** Gain magnitude in dB along the AC sweep (shared, read-only when cached). */
function gainDb(plot: Plot, spec: MeasureSpec, cache?: GainCache): Float64Array {
  return gainOf(plot, need(spec.out, 'out'), spec.per ?? 1, cache).gdb;
}

function ugfOf(f: Float64Array, gdb: Float64Array): number {
  if (gdb[0] <= 0) return 0;
  return firstFall(f, gdb, 0) ?? f[f.length - 1];
}

/** Supply power from the operating point: -sum(V*I) over the supplies (W). */
export function supplyPower(op: Plot, ctx: MeasureContext, supplies?: string[]): number {
  const names = supplies?.map((s) => s.toLowerCase()) ?? ctx.devices.filter((d) => d.letter === 'v' && d.subckt === null).map((d) => d.name);
  let p = 0;
  for (const name of names) {
    const dev = ctx.devices.find((d) => d.name === name);
    if (!dev) throw new MeasureError(`no voltage source '${name}'`);
    const v = (node: string) => (node === '0' || node === 'gnd' ? 0 : (op.vectors.get(`v(${node})`)?.re[0] ?? op.vectors.get(node)?.re[0] ?? NaN));
    const i = op.vectors.get(`i(${name})`)?.re[0] ?? op.vectors.get(`${name}#branch`)?.re[0];
    if (i === undefined) throw new MeasureError(`no branch current of '${name}' in the operating point`);
    p += -(v(dev.nodes[0]) - v(dev.nodes[1])) * i;
  }
  return p;
}

/** Value of an instance parameter with `.param`s resolved (SI), or `dflt` when absent. */
export function instanceValue(dev: DeviceDef, key: string, ctx: MeasureContext, dflt?: number): number {
  const src = key === 'value' ? dev.value : dev.params[key];
  if (src === null || src === undefined) {
    if (dflt !== undefined) return dflt;
    throw new MeasureError(`device ${dev.name} has no ${key}`);
  }
  return evalExpr(src, (n) => ctx.params.get(n));
}

/** Gate area sum(W*L*m) over MOSFETs (+ R, C area factors) in m^2. */
export function circuitArea(ctx: MeasureContext, spec: Pick<MeasureSpec, 'devices' | 'areaPerOhm' | 'areaPerFarad'>): number {
  const pick = spec.devices?.map((d) => d.toLowerCase());
  let a = 0;
  for (const d of ctx.devices) {
    if (d.subckt !== null) continue;
    if (pick && !pick.includes(d.name)) continue;
    const mult = d.params.m !== undefined ? instanceValue(d, 'm', ctx) : 1;
    if (d.letter === 'm') {
      const w = instanceValue(d, 'w', ctx);
      const l = instanceValue(d, 'l', ctx);
      const nf = d.params.nf !== undefined ? 1 : 1; // W is the total width in BSIM (nf splits it)
      a += w * l * mult * nf;
    } else if (d.letter === 'r' && spec.areaPerOhm) a += instanceValue(d, 'value', ctx) * spec.areaPerOhm * mult;
    else if (d.letter === 'c' && spec.areaPerFarad) a += instanceValue(d, 'value', ctx) * spec.areaPerFarad * mult;
  }
  return a;
}

/** MOSFETs a saturation check covers, and the op vectors it needs saved (`@m1[vdsat]`, ...). */
export function saturationVectors(problem: Pick<CircuitProblem, 'measurements'>, ctx: Pick<MeasureContext, 'devices' | 'models'>): string[] {
  const out: string[] = [];
  for (const m of problem.measurements) {
    if (m.kind !== 'saturation') continue;
    for (const d of satDevices(m, ctx)) {
      const th = thresholdName(d, ctx.models);
      for (const k of ['vds', 'vgs', 'vdsat', th]) out.push(`@${d.name}[${k}]`);
    }
  }
  for (const m of problem.measurements) if (m.kind === 'op' && m.vector?.startsWith('@')) out.push(m.vector.toLowerCase());
  return [...new Set(out)];
}

function satDevices(m: MeasureSpec, ctx: Pick<MeasureContext, 'devices'>): DeviceDef[] {
  const pick = m.devices?.map((d) => d.toLowerCase());
  return ctx.devices.filter((d) => d.letter === 'm' && d.subckt === null && (!pick || pick.includes(d.name)));
}

function thresholdName(d: DeviceDef, models: ModelDef[]): string {
  const model = models.find((x) => x.name === d.model);
  return model && (model.level === null || model.level <= 3) ? 'von' : 'vth';
}

/**
 * Per-device operating region from the op plot: 'saturation', 'triode' or 'off', with the margin
 * |vds| - |vdsat| (V).
 */
export function regions(op: Plot, m: MeasureSpec, ctx: MeasureContext): { device: string; region: 'saturation' | 'triode' | 'off'; marginV: number }[] {
  return satDevices(m, ctx).map((d) => {
    const g = (k: string) => {
      const v = op.vectors.get(`@${d.name}[${k}]`) ?? op.vectors.get(`v(@${d.name}[${k}])`);
      if (!v) throw new MeasureError(`no operating point @${d.name}[${k}]`);
      return Math.abs(v.re[0]);
    };
    const vgs = g('vgs');
    const vds = g('vds');
    const vdsat = g('vdsat');
    const vth = g(thresholdName(d, ctx.models));
    const margin = vds - vdsat;
    // Square-law models (level 1-3) carry no current below threshold; BSIM devices in moderate or
    // weak inversion (vgs up to 0.1 V below vth) still work as saturated current sources.
    const weak = thresholdName(d, ctx.models) === 'vth' ? 0.1 : 0;
    const region = vgs <= vth - weak ? 'off' : margin >= (m.marginV ?? 0) ? 'saturation' : 'triode';
    return { device: d.name, region, marginV: margin };
  });
}

/** Computes every measurement of a problem, in order. Throws MeasureError when results are missing. */
export function measureAll(problem: Pick<CircuitProblem, 'measurements'>, plots: SimPlots, ctx: MeasureContext): Record<string, number> {
  const metrics: Record<string, number> = {};
  const cache: GainCache = new WeakMap();
  for (const m of problem.measurements) {
    metrics[m.name] = measureOne(m, plots, ctx, metrics, cache);
    if (m.kind === 'saturation' && plots.op) {
      const r = regions(plots.op, m, ctx);
      metrics[`${m.name}_margin_v`] = r.length ? Math.min(...r.map((x) => x.marginV)) : 0;
    }
  }
  return metrics;
}

function freqOf(m: MeasureSpec, earlier: Record<string, number>): number {
  if (m.at !== undefined) {
    const f = earlier[m.at];
    if (f === undefined || !Number.isFinite(f)) throw new MeasureError(`${m.name}: metric ${m.at} is not available`);
    return f;
  }
  return need(m.freq, 'freq');
}

export function measureOne(m: MeasureSpec, plots: SimPlots, ctx: MeasureContext, earlier: Record<string, number> = {}, cache?: GainCache): number {
  const maybeDb = (x: number) => (m.db ? db(x) : x);
  switch (m.kind) {
    case 'power':
      return supplyPower(need(plots.op, 'operating point'), ctx, m.supplies);
    case 'dc_gain': {
      const g = gainDb(need(plots.ac, 'AC'), m, cache);
      return maybeDb(10 ** (g[0] / 20));
    }
    case 'gain_at': {
      const ac = need(plots.ac, 'AC');
      const g = gainDb(ac, m, cache);
      return maybeDb(10 ** (interpAt(freqs(ac), g, freqOf(m, earlier)) / 20));
    }
    case 'max_gain': {
      const g = gainDb(need(plots.ac, 'AC'), m, cache);
      return maybeDb(10 ** (g[argmax(g)] / 20));
    }
    case 'bandwidth': {
      const ac = need(plots.ac, 'AC');
      const f = freqs(ac);
      const g = gainDb(ac, m, cache);
      const from = (m.ref ?? 'max') === 'max' ? argmax(g) : 0;
      const level = g[from] - (m.dropDb ?? 3);
      // Never falling inside the sweep: the sweep's end is a lower bound of the bandwidth.
      return firstFall(f, g, level, from) ?? f[f.length - 1];
    }
    case 'ugf': {
      const ac = need(plots.ac, 'AC');
      return ugfOf(freqs(ac), gainDb(ac, m, cache));
    }
    case 'phase_margin': {
      const ac = need(plots.ac, 'AC');
      const f = freqs(ac);
      const { r, gdb: g } = gainOf(ac, need(m.out, 'out'), m.per ?? 1, cache);
      const ph = phaseDeg(r);
      if (g[0] <= 0) return 0;
      const fu = ugfOf(f, g);
      const lag = ph[0] - interpAt(f, ph, fu);
      return 180 - lag;
    }
    case 'peaking': {
      const g = gainDb(need(plots.ac, 'AC'), m, cache);
      return g[argmax(g)] - g[0];
    }
    case 'noise_spot':
    case 'noise_integrated': {
      const nz = need(plots.noise, 'noise');
      const vec = nz.vectors.get(m.which === 'output' ? 'onoise_spectrum' : 'inoise_spectrum');
      if (!vec) throw new MeasureError(`no ${m.which ?? 'input'} noise spectrum`);
      const f = freqs(nz);
      if (m.kind === 'noise_spot') {
        const lg = vec.re.map((x) => Math.log(Math.max(x, 1e-300)));
        return Math.exp(interpAt(f, lg, freqOf(m, earlier)));
      }
      const lo = m.fmin ?? f[0];
      const hi = m.fmax ?? f[f.length - 1];
      let s = 0;
      for (let i = 1; i < f.length; i++) {
        const a = Math.max(f[i - 1], lo);
        const b = Math.min(f[i], hi);
        if (b <= a) continue;
        // PSD linear in log-log between samples: integrate the power law exactly
        const p0 = vec.re[i - 1] ** 2;
        const p1 = vec.re[i] ** 2;
        const k = Math.log(p1 / p0) / Math.log(f[i] / f[i - 1]);
        const pa = p0 * (a / f[i - 1]) ** k;
        const seg = Math.abs(k + 1) < 1e-9 ? pa * a * Math.log(b / a) : (pa * a * ((b / a) ** (k + 1) - 1)) / (k + 1);
        s += Number.isFinite(seg) ? seg : ((p0 + p1) / 2) * (b - a);
      }
      return Math.sqrt(s);
    }
    case 'settling_time': {
      const tr = need(plots.tran, 'transient');
      const t = freqs(tr);
      const y = response(tr, need(m.out, 'out'), m.per ?? 1).re;
      const fin = y[y.length - 1];
      const step = fin - y[0];
      const band = (m.tol ?? 0.01) * Math.abs(step);
      for (let i = y.length - 1; i >= 0; i--) {
        if (Math.abs(y[i] - fin) > band) {
          if (i === y.length - 1) return t[i];
          // interpolate the exit of the band between i and i+1
          const e0 = Math.abs(y[i] - fin) - band;
          const e1 = Math.abs(y[i + 1] - fin) - band;
          return t[i] + ((t[i + 1] - t[i]) * e0) / (e0 - e1);
        }
      }
      return 0;
    }
    case 'slew_rate': {
      const tr = need(plots.tran, 'transient');
      const t = freqs(tr);
      const y = response(tr, need(m.out, 'out'), m.per ?? 1).re;
      const y0 = y[0];
      const step = y[y.length - 1] - y0;
      if (step === 0) return 0;
      const cross = (frac: number): number => {
        const lvl = y0 + frac * step;
        for (let i = 1; i < y.length; i++) {
          if ((y[i - 1] - lvl) * (y[i] - lvl) <= 0 && y[i] !== y[i - 1]) return t[i - 1] + ((lvl - y[i - 1]) * (t[i] - t[i - 1])) / (y[i] - y[i - 1]);
        }
        return NaN;
      };
      const ta = cross(m.lo ?? 0.1);
      const tb = cross(m.hi ?? 0.9);
      return (Math.abs(step) * ((m.hi ?? 0.9) - (m.lo ?? 0.1))) / Math.max(tb - ta, 1e-30);
    }
    case 'area':
      return circuitArea(ctx, m);
    case 'saturation': {
      const r = regions(need(plots.op, 'operating point'), m, ctx);
      return r.every((x) => x.region === 'saturation') ? 1 : 0;
    }
    case 'op': {
      const op = need(plots.op, 'operating point');
      const key = need(m.vector, 'vector').toLowerCase();
      const v = op.vectors.get(key) ?? op.vectors.get(`v(${key})`) ?? op.vectors.get(key.replace(/^v\((.*)\)$/, '$1'));
      if (!v) throw new MeasureError(`no operating-point vector ${key}`);
      return v.re[0] / (m.per ?? 1);
    }
    case 'expr': {
      const lower = new Map(Object.entries(earlier).map(([k, v]) => [k.toLowerCase(), v]));
      return evalExpr(need(m.expr, 'expr'), (n) => lower.get(n) ?? ctx.params.get(n));
    }
  }
}
