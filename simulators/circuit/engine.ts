/**
 * ngspice (eecircuit-engine, wasm) driven as an interactive shell: one `SpiceSession` per worker
 * thread, and a `ProblemRunner` that evaluates designs of one problem on it.
 *
 * How a design is simulated:
 * - "source" mode writes the sized netlist (unique title per run) into the engine's file system and
 *   `source`s it; "alter" mode changes the instance parameters that depend on design variables with
 *   `alter dev param=value` (no re-parse: 5-10x faster) once the circuit is loaded;
 * - every analysis of the problem runs as a command and writes its own raw file (op.raw, ac.raw,
 *   ...), which is unlinked beforehand, so a failed analysis can never hand back the previous run's
 *   vectors; the raw file's title and plot name are checked too;
 * - `destroy all` after every run keeps the engine's plot memory flat (the wasm heap still grows a
 *   little per run: the pool recycles workers).
 * The engine prints errors through its console: callers in worker threads may silence it.
 */
import type { CircuitProblem } from './problem.ts';
import { parseOutputExpr } from './problem.ts';
import { parseNetlist, parseAssignments, tokenizeLine, unquote, type ParsedNetlist, type DeviceDef, type ModelDef } from './netlist.ts';
import { parseRaw, type Plot } from './raw.ts';
import { measureAll, saturationVectors, regions, type SimPlots, type MeasureContext, MeasureError } from './measure.ts';
import { resolveParams, exprNames, evalExpr, ExprError } from './expr.ts';
import { formatSpiceNumber } from './units.ts';
import { sizedNetlist } from './export.ts';

interface EngineSimulation {
  start(): Promise<void>;
  runSim(): Promise<unknown>;
  setNetList(text: string): void;
  getInfo(): string;
  getError(): string[];
  __getSpiceModuleForTests(): object | null;
  commandList: string[];
}

interface EmFS {
  writeFile(path: string, data: string | Uint8Array): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  mkdirTree?(path: string): void;
  mkdir(path: string): void;
  analyzePath?(path: string): { exists: boolean };
}

/** One ngspice instance. Not reentrant: one command batch at a time. */
export class SpiceSession {
  /** Title of the circuit currently loaded (runners only alter a circuit they loaded themselves). */
  loadedTitle: string | null = null;

  private constructor(
    private readonly sim: EngineSimulation,
    private readonly fs: EmFS,
  ) {}

  static async start(): Promise<SpiceSession> {
    const mod = (await import('eecircuit-engine')) as unknown as { Simulation: new () => EngineSimulation };
    const sim = new mod.Simulation();
    await sim.start();
    const fs = (sim.__getSpiceModuleForTests() as { FS: EmFS }).FS;
    const s = new SpiceSession(sim, fs);
    // The engine reads /out.raw after every batch to resolve its promise: give it a tiny valid one
    // that we never overwrite (our analyses write their own files).
    sim.setNetList('optiloop stub\nv1 1 0 1\nr1 1 0 1\n.end\n');
    await s.commands(['source test.cir', 'op', 'write out.raw', 'destroy all', 'set numdgt=12']);
    return s;
  }

  /** Runs shell commands; returns what ngspice printed and its error lines. */
  async commands(cmds: string[]): Promise<{ log: string; errors: string[]; prompts: number }> {
    // ngspice sometimes stops at an interactive question ("Numparam expansion errors: Run Spice
    // anyway? y/n ?") and would eat our commands as answers forever: answer it 'y' (the run is
    // then reported failed) and go on with the batch.
    const list = [' ', ...cmds];
    let prompts = 0;
    const sim = this.sim;
    this.sim.commandList = new Proxy(list, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop) && prompts < 20) {
          const info = sim.getInfo();
          if (/y\/n \?\s*$/.test(info.slice(-200))) {
            prompts++;
            target.splice(Number(prop), 0, 'y');
          }
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    await this.sim.runSim();
    return { log: this.sim.getInfo(), errors: [...this.sim.getError()], prompts };
  }

  writeFile(path: string, text: string): void {
    const dir = path.replace(/\/[^/]*$/, '');
    if (dir && dir !== path) {
      let cur = '';
      for (const part of dir.split('/').filter(Boolean)) {
        cur += `/${part}`;
        try {
          this.fs.mkdir(cur);
        } catch {
          /* exists */
        }
      }
    }
    this.fs.writeFile(path, text);
  }

  readFile(path: string): Uint8Array | null {
    try {
      return this.fs.readFile(path);
    } catch {
      return null;
    }
  }

  unlink(path: string): void {
    try {
      this.fs.unlink(path);
    } catch {
      /* absent */
    }
  }

  readRaw(path: string): Plot | null {
    const b = this.readFile(path);
    if (!b) return null;
    return parseRaw(b);
  }
}

/* ----------------------------------------------------------------------------------------------- */

export interface AlterAction {
  device: string;
  /** Instance parameter (`w`, `l`, `ad`, ...) or '' for the value of R/C/L. */
  param: string;
  expr: string;
}

export interface RunPlan {
  mode: 'alter' | 'source';
  /** Why alter is not possible (when mode is source and the problem asked for auto). */
  reason: string;
  actions: AlterAction[];
}

const ALTERABLE: Record<string, Set<string>> = {
  m: new Set(['w', 'l', 'ad', 'as', 'pd', 'ps', 'm', 'nrd', 'nrs']),
  r: new Set(['', 'r', 'w', 'l']),
  c: new Set(['', 'c']),
  l: new Set(['', 'l']),
};

/** All `.param` definitions of the netlist and its includes (lower-case names). */
export function paramDefs(problem: Pick<CircuitProblem, 'netlist' | 'netlistFile' | 'files'>, parsed?: ParsedNetlist): Map<string, string> {
  const defs = new Map<string, string>();
  for (const inc of Object.keys(problem.files)) {
    for (const d of parseNetlist(problem.files[inc], inc, { isLibrary: true, lenient: true }).params) defs.set(d.name, d.expr);
  }
  for (const d of (parsed ?? parseNetlist(problem.netlist, problem.netlistFile)).params) defs.set(d.name, d.expr);
  return defs;
}

/** Resolved parameter values for a design (design variables and fixed values override the netlist). */
export function resolvedParams(problem: CircuitProblem, params: Record<string, number>, defs = paramDefs(problem)): Map<string, number> {
  const over = new Map<string, number>();
  for (const [k, v] of Object.entries(problem.fixed)) over.set(k.toLowerCase(), v);
  for (const [k, v] of Object.entries(params)) over.set(k.toLowerCase(), v);
  return resolveParams(defs, over);
}

/**
 * Decides whether designs can be applied with `alter` and which instance parameters to alter:
 * every use of a design variable (directly or through other `.param`s) must be an instance
 * parameter of a top-level MOSFET, R, C or L that `alter` can change, and evaluate in TypeScript.
 */
export function planRun(problem: CircuitProblem, parsed: ParsedNetlist = parseNetlist(problem.netlist, problem.netlistFile)): RunPlan {
  if (problem.update === 'source') return { mode: 'source', reason: 'the problem asks for re-sourcing', actions: [] };
  const defs = paramDefs(problem, parsed);
  // names that depend on a design variable
  const dep = new Set(problem.variables.map((v) => v.name.toLowerCase()));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, e] of defs) {
      if (!dep.has(k) && exprNames(e).some((n) => dep.has(n))) {
        dep.add(k);
        changed = true;
      }
    }
  }
  const uses = (text: string) => [...dep].some((n) => new RegExp(`(^|[^\\w.])${n.replace(/[.]/g, '\\.')}([^\\w.]|$)`, 'i').test(text));
  const actions: AlterAction[] = [];
  const handledLines = new Set<number>();
  for (const d of parsed.devices) {
    const entries: [string, string][] = Object.entries(d.params);
    if (d.value !== null && 'rcl'.includes(d.letter)) entries.push(['', d.value]);
    const hits = entries.filter(([, e]) => exprNames(e).some((n) => dep.has(n)));
    const valueHit = d.value !== null && !'rcl'.includes(d.letter) && uses(d.value);
    if (hits.length === 0 && !valueHit && !(d.model && dep.has(d.model))) continue;
    if (d.subckt !== null) return { mode: 'source', reason: `${d.name} inside subcircuit ${d.subckt} uses a design variable`, actions: [] };
    if (valueHit && (d.letter === 'v' || d.letter === 'i') && hits.length === 0 && d.subckt === null) {
      // an independent source whose DC value depends on the design: `alter vx dc=value`
      const toks = tokenizeLine(d.value as string);
      const dcIdx = toks[0]?.toLowerCase() === 'dc' ? 1 : 0;
      const expr = toks[dcIdx] !== undefined ? unquote(toks[dcIdx]) : '';
      const rest = toks.slice(dcIdx + 1).join(' ');
      if (expr && !uses(rest) && !/^(ac|sin|pulse|pwl|exp|sffm|am)\b/i.test(expr)) {
        actions.push({ device: d.name, param: 'dc', expr });
        handledLines.add(d.index);
        continue;
      }
    }
    const ok = ALTERABLE[d.letter];
    if (!ok || valueHit) return { mode: 'source', reason: `${d.name}: alter cannot change this element's design-dependent value`, actions: [] };
    for (const [k, e] of hits) {
      const key = k === d.letter ? '' : k;
      if (!ok.has(key)) return { mode: 'source', reason: `${d.name}: parameter ${k} is not alterable`, actions: [] };
      actions.push({ device: d.name, param: key, expr: e });
    }
    handledLines.add(d.index);
  }
  // any other mention (models, sources, subcircuit bodies, control blocks, includes) forces re-sourcing
  for (let i = 0; i < parsed.lines.length; i++) {
    const l = parsed.lines[i];
    if (handledLines.has(i) || l.kind === 'comment' || l.kind === 'blank' || l.kind === 'title') continue;
    if (l.kind === 'dot' && /^\s*\.param/i.test(l.text)) continue;
    if (uses(l.text) && l.kind !== 'element') return { mode: 'source', reason: `line ${l.line} uses a design variable outside an alterable instance parameter`, actions: [] };
  }
  for (const [inc, text] of Object.entries(problem.files)) {
    const lib = parseNetlist(text, inc, { isLibrary: true, lenient: true });
    for (const l of lib.lines) {
      if (l.kind === 'comment' || l.kind === 'blank') continue;
      if (l.kind === 'dot' && /^\s*\.param/i.test(l.text)) {
        // a library .param that depends on a design variable is fine (resolved in TypeScript)
        continue;
      }
      if (uses(l.text)) return { mode: 'source', reason: `${inc}:${l.line} uses a design variable`, actions: [] };
    }
  }
  // check every action evaluates with the netlist's own values
  try {
    const vals = resolveParams(defs, new Map(Object.entries(problem.fixed).map(([k, v]) => [k.toLowerCase(), v])));
    for (const a of actions) evalExpr(a.expr, (n) => vals.get(n));
  } catch (e) {
    return { mode: 'source', reason: `cannot evaluate instance expressions here: ${(e as Error).message}`, actions: [] };
  }
  return { mode: 'alter', reason: '', actions };
}

export interface RunResult {
  ok: boolean;
  metrics: Record<string, number>;
  error?: string;
  /** Vectors for plots (only when asked). */
  plots?: SimPlots;
  /** Operating region of each MOSFET a saturation measurement covers (only with plots). */
  regions?: { device: string; region: 'saturation' | 'triode' | 'off'; marginV: number }[];
  /** 'alter' or 'source': how this design reached the engine. */
  via: 'alter' | 'source';
}

/**
 * The vectors each analysis must write for the problem's measurements: writing 2 of 15 AC vectors
 * instead of all of them saves a third of the engine's time on the three-stage TIA. '' (or a missing
 * kind) means every vector of the plot.
 */
export function writtenVectors(problem: CircuitProblem, parsed: ParsedNetlist): Record<string, string> {
  const ac = new Set<string>();
  const tran = new Set<string>();
  const op = new Set<string>();
  let opAll = false;
  for (const m of problem.measurements) {
    if (m.out && ['dc_gain', 'gain_at', 'max_gain', 'bandwidth', 'ugf', 'phase_margin', 'peaking'].includes(m.kind)) {
      for (const t of parseOutputExpr(m.out)) if (t.vec !== 'v(0)') ac.add(t.vec);
    }
    if (m.out && (m.kind === 'settling_time' || m.kind === 'slew_rate')) for (const t of parseOutputExpr(m.out)) if (t.vec !== 'v(0)') tran.add(t.vec);
    if (m.kind === 'power') {
      const names = m.supplies?.map((x) => x.toLowerCase()) ?? parsed.devices.filter((d) => d.letter === 'v' && d.subckt === null).map((d) => d.name);
      for (const n of names) {
        const d = parsed.devices.find((x) => x.name === n);
        if (!d) continue;
        op.add(`i(${n})`);
        for (const node of d.nodes) if (node !== '0' && node !== 'gnd') op.add(`v(${node})`);
      }
    }
    if (m.kind === 'op' && m.vector && !m.vector.startsWith('@')) opAll = true;
  }
  const out: Record<string, string> = {};
  if (ac.size > 0) out.ac = [...ac].join(' ');
  if (tran.size > 0) out.tran = [...tran].join(' ');
  if (op.size > 0 && !opAll) out.op = [...op].join(' ');
  return out;
}

const EXPECTED_PLOT: Record<string, RegExp> = {
  op: /operating point/i,
  ac: /ac analysis/i,
  dc: /dc transfer/i,
  tran: /transient/i,
  noise: /noise spectral density/i,
};

/** Evaluates designs of one problem on one session. */
export class ProblemRunner {
  readonly plan: RunPlan;
  private readonly parsed: ParsedNetlist;
  private readonly defs: Map<string, string>;
  private readonly saves: string[];
  private readonly modelDefs: ModelDef[];
  /** Per analysis kind, the vectors the measurements read (written to the raw file; '' = all). */
  private readonly written: Record<string, string>;
  private loadedTitle: string | null = null;
  private seq = 0;
  private lastValues = new Map<string, number>();

  constructor(
    readonly session: SpiceSession,
    private readonly problem: CircuitProblem,
    private readonly runTag: string,
    opts: { forceSource?: boolean } = {},
  ) {
    this.parsed = parseNetlist(problem.netlist, problem.netlistFile);
    this.defs = paramDefs(problem, this.parsed);
    this.plan = opts.forceSource ? { mode: 'source', reason: 'forced', actions: [] } : planRun(problem, this.parsed);
    this.modelDefs = this.models();
    const ctx = { devices: this.parsed.devices, models: this.modelDefs };
    this.saves = saturationVectors(problem, ctx);
    this.written = writtenVectors(problem, this.parsed);
    for (const [path, text] of Object.entries(problem.files)) session.writeFile(this.fsPath(path), text);
  }

  private models() {
    const models = [...this.parsed.models];
    for (const [inc, text] of Object.entries(this.problem.files)) models.push(...parseNetlist(text, inc, { isLibrary: true, lenient: true }).models);
    return models;
  }

  private fsPath(p: string): string {
    const clean = p.replace(/^\.\//, '');
    return clean.startsWith('/') ? clean : `/${clean}`;
  }

  /** The netlist for a design, with a unique title and include paths pointing at the engine's files. */
  private netlistFor(params: Record<string, number>, title: string): string {
    const text = sizedNetlist(this.problem, params, { title });
    return text;
  }

  async evaluate(params: Record<string, number>, opts: { keepPlots?: boolean; forceSource?: boolean } = {}): Promise<RunResult> {
    this.seq++;
    const title = `optiloop ${this.runTag} run ${this.seq}`;
    let values: Map<string, number>;
    try {
      values = resolvedParams(this.problem, params, this.defs);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      values = new Map();
    }
    const cmds: string[] = [];
    let via: 'alter' | 'source' = 'source';
    const useAlter = this.plan.mode === 'alter' && this.loadedTitle !== null && this.session.loadedTitle === this.loadedTitle && !opts.forceSource;
    if (!useAlter) this.lastValues.clear();
    /** The value of each alter action for this design (alter mode: computed once, kept after the run). */
    let actionValues: number[] | null = null;
    if (useAlter) {
      via = 'alter';
      actionValues = [];
      // one parameter per `alter` (ngspice applies only the first of `alter dev p1=v1 p2=v2`: the
      // alter-vs-source test caught it); values that did not change are skipped
      for (const a of this.plan.actions) {
        const v = evalExpr(a.expr, (n) => values.get(n));
        actionValues.push(v);
        const key = `${a.device}|${a.param}`;
        if (this.lastValues.get(key) === v) continue;
        cmds.push(a.param ? `alter ${a.device} ${a.param}=${formatSpiceNumber(v)}` : `alter ${a.device}=${formatSpiceNumber(v)}`);
      }
    } else {
      this.session.writeFile('/optiloop-run.cir', this.netlistFor(params, title));
      cmds.push('source /optiloop-run.cir');
    }
    // Device operating-point values (@m1[vdsat], ...) are saved for the op analysis only and come
    // back in its raw file (binary doubles): the save list is cleared right after it (`delete all`),
    // since a standing save would make every later analysis compute them at every point (5x slower
    // on the TIA). Printing them instead cost 0.8 ms more per TIA run (and 13 digits). `delete all`
    // also drops a netlist's own `.save` lines: later analyses then keep every vector, and the raw
    // writes, which name their vectors, give the same results.
    const files: { kind: string; path: string }[] = [];
    this.problem.analyses.forEach((a, i) => {
      const kind = /^\s*(\w+)/.exec(a)?.[1]?.toLowerCase() ?? '';
      const path = `/optiloop-${i}-${kind}.raw`;
      this.session.unlink(path);
      if (kind === 'noise') {
        this.session.unlink(`/optiloop-${i}-noise-total.raw`);
        cmds.push('destroy all', a, `write /optiloop-${i}-noise-total.raw`, 'setplot noise1', `write ${path}`);
        files.push({ kind: 'noiseTotal', path: `/optiloop-${i}-noise-total.raw` });
      } else if (kind === 'op') {
        if (this.saves.length > 0) cmds.push(`save ${this.written.op ?? 'all'} ${this.saves.join(' ')}`, a, `write ${path}`, 'delete all');
        else cmds.push(a, `write ${path} ${this.written.op ?? ''}`.trim());
      } else cmds.push(a, `write ${path} ${this.written[kind] ?? ''}`.trim());
      files.push({ kind, path });
    });
    cmds.push('destroy all');
    const out = await this.session.commands(cmds);
    if (!useAlter) {
      this.loadedTitle = title;
      this.session.loadedTitle = title;
    }
    const plots: SimPlots = {};
    const expectTitle = useAlter ? this.loadedTitle : title;
    const fail = (msg: string): RunResult => {
      // after a failure, the next design re-sources (the engine state is unknown)
      this.loadedTitle = null;
      this.lastValues.clear();
      return { ok: false, metrics: {}, error: msg, via };
    };
    if (out.prompts > 0) return fail(`ngspice stopped at a question${errorTail(out.errors, out.log)}`);
    for (const f of files) {
      let plot: Plot | null;
      try {
        plot = this.session.readRaw(f.path);
      } catch (e) {
        return fail(`${f.kind}: unreadable results (${(e as Error).message})`);
      }
      if (!plot) return fail(`${f.kind} analysis produced no results${errorTail(out.errors, out.log)}`);
      // ngspice lower-cases the title (a tag like `TIA3` comes back as `tia3`)
      if (plot.title.toLowerCase() !== expectTitle?.toLowerCase()) return fail(`${f.kind}: stale results (title '${plot.title}', expected '${expectTitle}')`);
      const exp = EXPECTED_PLOT[f.kind];
      if (exp && !exp.test(plot.plotname)) return fail(`${f.kind}: unexpected plot '${plot.plotname}'${errorTail(out.errors, out.log)}`);
      if (f.kind === 'op') {
        // the raw file names a saved device value `v(@m1[vds])`: keep it as `@m1[vds]`
        for (const name of this.saves) {
          const v = plot.vectors.get(`v(${name})`);
          if (!v || plot.vectors.has(name)) continue;
          plot.vectors.delete(`v(${name})`);
          plot.vectors.set(name, { name, kind: 'notype', re: v.re, im: null });
        }
      }
      (plots as Record<string, Plot>)[f.kind] = plot;
    }
    if (actionValues) {
      this.plan.actions.forEach((a, i) => this.lastValues.set(`${a.device}|${a.param}`, (actionValues as number[])[i]));
    } else if (this.plan.mode === 'alter') {
      for (const a of this.plan.actions) {
        try {
          this.lastValues.set(`${a.device}|${a.param}`, evalExpr(a.expr, (n) => values.get(n)));
        } catch {
          this.lastValues.clear();
        }
      }
    }
    const ctx: MeasureContext = { devices: this.parsed.devices, models: this.modelDefs, params: values };
    try {
      const metrics = measureAll(this.problem, plots, ctx);
      const bad = Object.entries(metrics).find(([, v]) => !Number.isFinite(v));
      if (bad) return { ok: false, metrics, error: `measurement ${bad[0]} is not a number`, via, ...(opts.keepPlots ? { plots } : {}) };
      if (!opts.keepPlots) return { ok: true, metrics, via };
      const sat = this.problem.measurements.find((m) => m.kind === 'saturation');
      return { ok: true, metrics, via, plots, ...(sat && plots.op ? { regions: regions(plots.op, sat, ctx) } : {}) };
    } catch (e) {
      if (e instanceof MeasureError || e instanceof ExprError) return { ok: false, metrics: {}, error: e.message, via };
      throw e;
    }
  }
}

function errorTail(errors: string[], log: string): string {
  const lines = [...errors, ...log.split('\n').filter((l) => /error|fatal|singular|abort|timestep too small|no convergence/i.test(l))]
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? `: ${[...new Set(lines)].slice(0, 3).join(' | ')}` : '';
}

export { parseAssignments, type DeviceDef };
