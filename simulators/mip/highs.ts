/**
 * HiGHS (wasm, `highs` npm 1.15) on a persistent model: the instance is passed once as sparse arrays
 * (never as LP text: a malformed LP aborts the wasm runtime), then every LNS sub-problem is a set of
 * changes applied to that model (column bounds, extra rows, a replacement objective), solved, and
 * undone (bounds restored, rows deleted, costs restored). Runs synchronously; main/mip/highs-worker.ts
 * hosts it in a worker thread.
 *
 * What highs 1.15.3's JS API offers and what we use: createModel(ModelData) / passModel, changeColsBounds,
 * addRow / deleteRows, changeColsCost, changeObjectiveSense, setSolution (MIP start), options
 * (time_limit, random_seed, mip_rel_gap, mip_max_improving_sols, changeColsIntegrality for the LP relaxation),
 * callbacks mipImprovingSolution (incumbent trace), mipInterrupt / simplexInterrupt (cancel),
 * info mip_dual_bound, getSolution, getModelStatus, memoryBytes (heap size, which never shrinks).
 */
import type { Highs, Model as HighsModel, ModelData } from 'highs';
import type { MipModel } from './model.ts';
import { numCols, numRows } from './model.ts';

export interface RowSpec {
  lower: number;
  upper: number;
  index: number[];
  value: number[];
}

export interface SolveRequest {
  /** Seconds; 0 returns at once with status "time-limit". */
  timeLimit: number;
  seed?: number;
  /** Column bound overrides for this solve only (indices need not be sorted; duplicates: last wins). */
  bounds?: { index: number[]; lower: number[]; upper: number[] };
  /** Extra rows for this solve only. */
  rows?: RowSpec[];
  /** Replacement objective coefficients (length numCols) for this solve only. */
  cost?: Float64Array | number[];
  /** Objective sense for this solve (default: the model's). */
  sense?: 'min' | 'max';
  /** Full MIP start (column values); HiGHS checks it and uses it if feasible. */
  start?: Float64Array | number[];
  /** Solve the LP relaxation instead of the MIP. */
  relax?: boolean;
  /** Relative MIP gap to stop at (HiGHS default 1e-4). */
  gapRel?: number;
  /** Stop after this many improving solutions. */
  maxImprovingSolutions?: number;
  /** Stop as soon as the root node is done and a solution exists (root heuristics included). */
  stopAfterRoot?: boolean;
  /**
   * Stop once HiGHS has stalled: a solution exists, the root node is done or `afterSeconds` have
   * passed, and no new incumbent came within the last `stallSeconds` (checked at HiGHS's MIP
   * interrupt points). `stopAfterRoot` is `{ afterSeconds: Infinity, stallSeconds: 0 }`. With
   * `improveOn` (an objective in this solve's sense), only a solution better than it counts: the rule
   * applies once one was found (a sub-MIP warm-started with the current solution stops when it has
   * improved on it and then stalled).
   */
  stopWhenStalled?: {
    afterSeconds: number;
    stallSeconds: number;
    improveOn?: number;
    /** Stop at this many seconds if a (counting) solution exists, stalled or not; without one, go on. */
    capWithSolution?: number;
  };
  /** Deadline flag: solving stops when `shouldStop()` returns true (checked at HiGHS's interrupt points). */
  shouldStop?: () => boolean;
  /** Called synchronously with each new incumbent (seconds since this solve started, objective). */
  onIncumbent?: (seconds: number, objective: number, x: Float64Array) => void;
}

export type SolveStatus =
  | 'optimal'
  | 'infeasible'
  | 'unbounded'
  | 'unbounded-or-infeasible'
  | 'time-limit'
  | 'interrupted'
  | 'solution-limit'
  | 'error'
  | 'other';

export interface SolveReply {
  status: SolveStatus;
  /** HiGHS's model status code and name, for logs. */
  modelStatus: number;
  /** Column values when a primal feasible solution exists, else null. */
  x: Float64Array | null;
  /** Objective of the solved (possibly modified) problem, null without a solution. */
  objective: number | null;
  /** MIP dual bound (or LP optimum for a relaxation), null when unknown. */
  bound: number | null;
  seconds: number;
  /** Incumbent trace of this solve: [seconds, objective]. */
  trace: [number, number][];
  /** Wasm heap size after the solve (bytes). */
  heapBytes: number;
}

/** One HiGHS instance holding one MIP; dispose() frees its wasm memory. */
export class HighsSession {
  private model: HighsModel;
  private readonly n: number;
  private readonly m: number;
  private disposed = false;

  constructor(
    private readonly highs: Highs,
    readonly mip: MipModel,
  ) {
    this.n = numCols(mip);
    this.m = numRows(mip);
    this.model = highs.createModel(toModelData(highs, mip));
    this.model.options.set({ output_flag: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
  }

  /** Rebuilds the native model from the original data (after an error left it in an unknown state). */
  private reset(): void {
    try {
      this.model.dispose();
    } catch {
      /* already gone */
    }
    this.model = this.highs.createModel(toModelData(this.highs, this.mip));
    this.model.options.set({ output_flag: false });
  }

  solve(req: SolveRequest): SolveReply {
    if (this.disposed) throw new Error('HighsSession is disposed');
    const started = performance.now();
    const h = this.highs;
    const model = this.model;
    const C = h.constants;
    if (req.timeLimit <= 0) {
      return { status: 'time-limit', modelStatus: C.modelStatus.timeLimit, x: null, objective: null, bound: null, seconds: 0, trace: [], heapBytes: h.memoryBytes };
    }
    // Bounds: sort and de-duplicate (the API wants strictly increasing indices).
    let bIdx: number[] = [];
    let bLo: number[] = [];
    let bUp: number[] = [];
    if (req.bounds && req.bounds.index.length > 0) {
      const last = new Map<number, number>();
      req.bounds.index.forEach((j, k) => last.set(j, k));
      bIdx = [...last.keys()].sort((a, b) => a - b);
      bLo = bIdx.map((j) => req.bounds!.lower[last.get(j)!]);
      bUp = bIdx.map((j) => req.bounds!.upper[last.get(j)!]);
    }
    const rows = req.rows ?? [];
    let applied = { bounds: false, rows: 0, cost: false, sense: false, relax: false };
    const trace: [number, number][] = [];
    try {
      if (bIdx.length) {
        model.changeColsBounds({ kind: 'set', indices: bIdx }, bLo, bUp);
        applied.bounds = true;
      }
      for (const r of rows) {
        const order = r.index.map((j, k) => [j, r.value[k]] as const).sort((a, b) => a[0] - b[0]);
        model.addRow(r.lower, r.upper, { indices: order.map((e) => e[0]), values: order.map((e) => e[1]) });
        applied.rows++;
      }
      if (req.cost) {
        model.changeColsCost({ kind: 'range', from: 0, to: this.n - 1 }, req.cost);
        applied.cost = true;
      }
      const sense = req.sense ?? this.mip.sense;
      if (sense !== this.mip.sense) {
        model.changeObjectiveSense(sense === 'max' ? C.objectiveSense.maximize : C.objectiveSense.minimize);
        applied.sense = true;
      }
      if (req.relax && this.mip.colInteger.some((v) => v === 1)) {
        model.changeColsIntegrality({ kind: 'range', from: 0, to: this.n - 1 }, new Int32Array(this.n));
        applied.relax = true;
      }
      model.options.set({
        time_limit: req.timeLimit,
        random_seed: Math.abs(Math.floor(req.seed ?? 0)) % 2147483647,
        mip_rel_gap: req.gapRel ?? 1e-4,
        mip_max_improving_sols: req.maxImprovingSolutions ?? 2147483647,
      });
      model.clearSolver();
      // HiGHS's time_limit is cumulative over the runs of a model (an LP relaxation after a 2 s MIP
      // solve with a 1.5 s limit stops at once): every solve gets its own clock.
      model.zeroAllClocks();
      if (req.start && !req.relax) {
        try {
          model.setSolution({ colValue: req.start });
        } catch {
          /* a start HiGHS rejects is just not used */
        }
      }
      const stop = req.shouldStop;
      const stall = req.stopWhenStalled ?? (req.stopAfterRoot ? { afterSeconds: Infinity, stallSeconds: 0 } : null);
      const t0 = performance.now();
      let lastImprovement = 0;
      const better = (z: number) => {
        if (stall?.improveOn === undefined) return true;
        const target = stall.improveOn;
        const tol = 1e-9 * Math.max(1, Math.abs(target));
        return (req.sense ?? this.mip.sense) === 'max' ? z > target + tol : z < target - tol;
      };
      let improved = false;
      model.run({
        [C.callbackType.mipImprovingSolution]: (e) => {
          const z = e.data.objective_function_value;
          if (typeof z === 'number') {
            const t = (performance.now() - t0) / 1000;
            lastImprovement = t;
            if (better(z)) improved = true;
            trace.push([t, z]);
            if (req.onIncumbent && e.data.mip_solution) req.onIncumbent(t, z, e.data.mip_solution);
          }
          return undefined;
        },
        [C.callbackType.mipInterrupt]: (e) => {
          if (stop && stop()) e.interrupt();
          else if (stall) {
            const nodes = e.data.mip_node_count;
            const primal = e.data.mip_primal_bound;
            const t = (performance.now() - t0) / 1000;
            const rootDone = nodes !== undefined && nodes >= 1n;
            if (improved && primal !== undefined && Number.isFinite(primal) && (rootDone || t >= stall.afterSeconds) && t - lastImprovement >= stall.stallSeconds) e.interrupt();
            else if (improved && stall.capWithSolution !== undefined && t >= stall.capWithSolution) e.interrupt();
          }
          return undefined;
        },
        [C.callbackType.simplexInterrupt]: (e) => {
          if (stop && stop()) e.interrupt();
          else if (stall && improved) {
            // Inside a long LP of the MIP search (root node, big models): the same stall rule.
            const t = (performance.now() - t0) / 1000;
            if (t >= stall.afterSeconds && t - lastImprovement >= stall.stallSeconds) e.interrupt();
            else if (stall.capWithSolution !== undefined && t >= stall.capWithSolution) e.interrupt();
          }
          return undefined;
        },
      });
      const code = model.getModelStatus();
      const primal = Number(model.info.get('primal_solution_status'));
      const hasSolution = primal === C.solutionStatus.feasible;
      const x = hasSolution ? Float64Array.from(model.getSolution().colValue) : null;
      const objective = hasSolution ? model.getObjectiveValue() : null;
      let bound: number | null = null;
      if (req.relax) bound = code === C.modelStatus.optimal ? model.getObjectiveValue() : null;
      else {
        const d = Number(model.info.get('mip_dual_bound'));
        bound = Number.isFinite(d) ? d : null;
      }
      return {
        status: statusName(h, code),
        modelStatus: code,
        x,
        objective,
        bound,
        seconds: (performance.now() - started) / 1000,
        trace,
        heapBytes: h.memoryBytes,
      };
    } catch (e) {
      // Leave a clean model for the next solve, then report.
      this.reset();
      applied = { bounds: false, rows: 0, cost: false, sense: false, relax: false };
      throw e;
    } finally {
      if (applied.bounds || applied.rows || applied.cost || applied.sense || applied.relax) {
        try {
          if (applied.rows) model.deleteRows({ kind: 'range', from: this.m, to: this.m + applied.rows - 1 });
          if (applied.bounds) {
            model.changeColsBounds(
              { kind: 'set', indices: bIdx },
              bIdx.map((j) => this.mip.colLower[j]),
              bIdx.map((j) => this.mip.colUpper[j]),
            );
          }
          if (applied.relax) model.changeColsIntegrality({ kind: 'range', from: 0, to: this.n - 1 }, toModelData(this.highs, this.mip).integrality!);
          if (applied.cost) model.changeColsCost({ kind: 'range', from: 0, to: this.n - 1 }, this.mip.colCost);
          if (applied.sense) {
            model.changeObjectiveSense(this.mip.sense === 'max' ? C.objectiveSense.maximize : C.objectiveSense.minimize);
          }
        } catch {
          this.reset();
        }
      }
    }
  }
}

export function toModelData(highs: Highs, m: MipModel): ModelData {
  const C = highs.constants;
  const integrality = new Int32Array(numCols(m));
  for (let j = 0; j < numCols(m); j++) integrality[j] = m.colInteger[j] ? C.variableType.integer : C.variableType.continuous;
  return {
    numCols: numCols(m),
    numRows: numRows(m),
    sense: m.sense === 'max' ? C.objectiveSense.maximize : C.objectiveSense.minimize,
    offset: m.objOffset,
    colCost: m.colCost,
    colLower: m.colLower,
    colUpper: m.colUpper,
    rowLower: m.rowLower,
    rowUpper: m.rowUpper,
    matrix: { format: 'csr', numRows: numRows(m), numCols: numCols(m), starts: m.rowStart, indices: m.rowIndex, values: m.rowValue },
    integrality,
  };
}

function statusName(highs: Highs, code: number): SolveStatus {
  const S = highs.constants.modelStatus;
  switch (code) {
    case S.optimal:
      return 'optimal';
    case S.infeasible:
      return 'infeasible';
    case S.unbounded:
      return 'unbounded';
    case S.unboundedOrInfeasible:
      return 'unbounded-or-infeasible';
    case S.timeLimit:
      return 'time-limit';
    case S.interrupted:
      return 'interrupted';
    case S.solutionLimit:
      return 'solution-limit';
    default:
      return 'other';
  }
}

/**
 * Solves a small generated MIP once so that the wasm functions HiGHS uses most are compiled before
 * the first timed solve (under V8's --no-liftoff every function is compiled on its first call, which
 * otherwise eats seconds of the first solve's time limit). Returns the seconds it took.
 */
export function warmUp(highs: Highs): number {
  const t0 = performance.now();
  const n = 40;
  const rows = 8;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      if (rnd() < 0.5) {
        indices.push(j);
        values.push(1 + Math.floor(rnd() * 20));
      }
    }
    starts.push(indices.length);
  }
  const C = highs.constants;
  const model = highs.createModel({
    numCols: n,
    numRows: rows,
    sense: C.objectiveSense.maximize,
    colCost: Array.from({ length: n }, () => 1 + Math.floor(rnd() * 30)),
    colLower: new Array<number>(n).fill(0),
    colUpper: new Array<number>(n).fill(1),
    rowLower: new Array<number>(rows).fill(-Infinity),
    rowUpper: new Array<number>(rows).fill(60),
    matrix: { format: 'csr', numRows: rows, numCols: n, starts, indices, values },
    integrality: new Array<0 | 1>(n).fill(1),
  });
  try {
    model.options.set({ output_flag: false, time_limit: 10 });
    model.run();
    model.changeColsIntegrality({ kind: 'range', from: 0, to: n - 1 }, new Int32Array(n));
    model.run();
  } finally {
    model.dispose();
  }
  return (performance.now() - t0) / 1000;
}
