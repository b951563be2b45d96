/**
 * Circuit-sizing payloads shared by the engine (main/circuit), the CLI and the UI.
 * Stable: extend rather than rename. Numbers are SI (W, Hz, Ohm, m^2, s, V) unless a name carries
 * its unit. Metric names are the problem file's (e.g. `gain`, `bandwidth`, `power`, `area`).
 */
import type { CircuitSchematic } from './circuit-schematic.ts';

/** One design variable as the problem file declares it. */
export interface CircuitVariableView {
  name: string;
  /** Bounds in SI units (m for W/L, Ohm for R, ...). */
  lo: number;
  hi: number;
  scale: 'lin' | 'log';
  /** Display unit of the problem file (e.g. 'um', 'kOhm'); values here are still SI. */
  unit: string;
  /** Grid step in SI units, null when continuous. */
  step: number | null;
  /** Value in the reference design (e.g. the human expert's), null when none. */
  reference: number | null;
}

/** A hard constraint (`metric op value`). */
export interface CircuitConstraintView {
  metric: string;
  op: '>=' | '<=';
  value: number;
  /** How a violation is scaled in the reward: log for gain/bandwidth-like metrics, lin otherwise. */
  scale: 'lin' | 'log';
  /** Display unit of the metric (e.g. 'Ohm', 'Hz', 'W'). */
  unit: string;
}

/** A target to minimise or maximise once every constraint holds. */
export interface CircuitTargetView {
  metric: string;
  sense: 'min' | 'max';
  /** Normalising value of the reward (`ref / metric` for min): the reference design's, or given. */
  ref: number | null;
  unit: string;
}

/** `Inspection.details` of a circuit problem or annotated netlist. */
export interface CircuitInspection {
  /** Problem name (file name without extension or the file's `name`). */
  name: string;
  /** 'problem' for a JSON/YAML problem file, 'netlist' for an annotated netlist. */
  source: 'problem' | 'netlist';
  variables: CircuitVariableView[];
  constraints: CircuitConstraintView[];
  targets: CircuitTargetView[];
  /** Fixed parameters (SI). */
  fixed: Record<string, number>;
  /** Measurements the problem defines (name -> short description, e.g. "-3 dB bandwidth of v(out)"). */
  measurements: Record<string, string>;
  /** Reference design (e.g. a human expert's) with the published metrics when the file gives them. */
  reference: { label: string; params: Record<string, number>; metrics: Record<string, number> } | null;
  /** The netlist text the engine simulates (after includes), for display. */
  netlist: string;
  /** Schematic for drawing (contract/circuit-schematic.ts), null when the netlist cannot be drawn. */
  schematic: CircuitSchematic | null;
  warnings: string[];
}

/** A design: parameter values and the metrics its simulation gave. */
export interface CircuitDesign {
  params: Record<string, number>;
  metrics: Record<string, number>;
}

/** A Pareto point over the targets (feasible designs only). */
export interface CircuitParetoPoint extends CircuitDesign {
  /** 1-based simulation index at which it was found. */
  evaluation: number;
}

/** The status of one constraint at one evaluation. */
export interface CircuitConstraintStatus {
  metric: string;
  op: '>=' | '<=';
  target: number;
  /** Simulated value, null when the simulation failed. */
  value: number | null;
  met: boolean;
}

/** One evaluated design as progress carries it (the latest batch). */
export interface CircuitEvaluationPoint {
  /** 1-based simulation index. */
  evaluation: number;
  ok: boolean;
  feasible: boolean;
  /** Reward-shaped score (see main/circuit/reward.ts): < 0 while infeasible, -5 on failure. */
  score: number;
  params: Record<string, number>;
  metrics: Record<string, number>;
  constraints: CircuitConstraintStatus[];
  error?: string;
}

/** `JobProgress.data` of a circuit job. */
export interface CircuitProgress {
  agent: string;
  /** Simulations so far (same as JobProgress.evaluations). */
  evaluations: number;
  budget: number;
  /** The designs simulated since the previous progress report (append them to charts). */
  points: CircuitEvaluationPoint[];
  /** Any feasible design found yet. */
  feasible: boolean;
  /** 1-based simulation index of the first feasible design, null while none. */
  firstFeasibleAt: number | null;
  /** Best score so far (reward shape) and where it was found. */
  bestScore: number | null;
  bestAt: number | null;
  best: CircuitDesign | null;
  /** Pareto points that joined the archive since the previous report. */
  newPareto: CircuitParetoPoint[];
  /** Size of the whole archive now (points may also have left it). */
  paretoSize: number;
  /** Agent internals with stable keys for charts, e.g. `losses/critic`, `losses/actor`, `charts/noise`, `cmaes/sigma`. */
  stats: Record<string, number>;
  /** Simulations that failed so far (engine error, timeout, crash). */
  failures: number;
  /** Metrics of the reference design evaluated at the start (null when none). */
  reference: CircuitDesign | null;
}

/** Result of `optiloop circuit optimise` (CONTRACTS.md circuit fields, plus extras). */
export interface CircuitResult {
  kind: 'circuit';
  problem: string;
  agent: string;
  seed: number;
  /** TensorFlow.js backend used by the agent ('none' for agents without networks). */
  backend: string;
  simulations: number;
  seconds: number;
  feasible: boolean;
  firstFeasibleAt: number | null;
  /** Best design: the best-scored feasible one, else the least-violating one; metrics {} if none ran. */
  best: CircuitDesign;
  pareto: CircuitDesign[];
  exports: string[];
  // ---- extras ----
  budget: number;
  workers: number;
  bestScore: number | null;
  /** 1-based simulation index of `best`. */
  bestAt: number | null;
  failures: number;
  cancelled: boolean;
  /** Evaluations reused from an interrupted run's journal. */
  resumed: number;
  /** Reference design simulated by the same engine (not counted in `simulations`), null when none. */
  reference: (CircuitDesign & { feasible: boolean }) | null;
  /** True when a feasible design of the run (best or Pareto) has every target at least as good as the
   *  simulated reference, one strictly better; null without a reference or a feasible design. */
  dominatesReference: boolean | null;
  /** Pareto points with their simulation index. */
  paretoDetail: CircuitParetoPoint[];
  /** Best score after each simulation (index i = after simulation i+1). */
  trace: number[];
  /** The backend picker's one-line report. */
  backendReport: string | null;
}
