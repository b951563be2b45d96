/**
 * MIP workbench payloads shared by the engine, the CLI and the UI (Balans over HiGHS).
 * Stable: extend rather than rename. Objective values are always in the model's own sense
 * (a maximisation problem reports its maximised value); times are seconds since the run started.
 */

/** The eight destroy families of Balans (an arm is a family at one destroy rate, e.g. "mutation_50"). */
export const MIP_OPERATOR_FAMILIES = [
  'mutation',
  'rins',
  'rens',
  'dins',
  'local_branching',
  'proximity',
  'crossover',
  'random_objective',
] as const;
export type MipOperatorFamily = (typeof MIP_OPERATOR_FAMILIES)[number];

export const MIP_BANDITS = ['softmax', 'epsilon-greedy', 'ucb1', 'thompson'] as const;
export type MipBandit = (typeof MIP_BANDITS)[number];

export const MIP_ACCEPTANCE = ['hill-climbing', 'simulated-annealing'] as const;
export type MipAcceptance = (typeof MIP_ACCEPTANCE)[number];

export const MIP_METHODS = ['balans', 'highs'] as const;
export type MipMethod = (typeof MIP_METHODS)[number];

/** Outcome of one LNS iteration, as the bandit scores it. */
export type MipOutcome = 'best' | 'better' | 'accepted' | 'rejected';

/** A sampled picture of the constraint matrix for the UI: `cells` are non-empty blocks. */
export interface MipSparsitySample {
  /** Grid size (blocks); each block covers ceil(rows/gridRows) rows and ceil(cols/gridCols) columns. */
  gridRows: number;
  gridCols: number;
  /** Non-zero count per block, row-major, length gridRows * gridCols. */
  counts: number[];
}

/** `Inspection.details` for an MPS / LP file. */
export interface MipInspection {
  name: string;
  format: 'mps' | 'lp';
  sense: 'min' | 'max';
  rows: number;
  columns: number;
  /** Integer columns, binaries included. */
  integers: number;
  binaries: number;
  continuous: number;
  nonZeros: number;
  /** Row kinds: equalities, <= rows, >= rows, ranged rows (both sides finite and different). */
  rowKinds: { equal: number; less: number; greater: number; ranged: number; free: number };
  /** Objective coefficients that are non-zero. */
  objectiveNonZeros: number;
  /** Absolute coefficient range of the matrix (null when it has no non-zero). */
  coefficientRange: { min: number; max: number } | null;
  sparsity: MipSparsitySample;
  /** Operators that do not apply to this model (e.g. local branching without binaries), with why. */
  inapplicableOperators: { operator: string; reason: string }[];
}

/** Per-arm statistics (an arm is an operator at a destroy rate, e.g. "rins_40"). */
export interface MipArmStats {
  pulls: number;
  meanReward: number;
  /** Iterations that produced a new best solution. */
  best: number;
  /** Iterations better than the current (accepted) solution but not a new best. */
  better: number;
  accepted: number;
  rejected: number;
  /** Sub-MIPs that ended without any feasible solution (infeasible neighbourhood or time out). */
  failed: number;
  /** Seconds spent in this arm's sub-MIPs. */
  seconds: number;
}

/** Progress `data` of a MIP job (JobProgress.data). */
export interface MipProgress {
  method: MipMethod;
  sense: 'min' | 'max';
  /** Best feasible objective so far (model sense), null while none. */
  incumbent: number | null;
  /** Best proven bound (model sense) when known: HiGHS's dual bound or the LP relaxation. */
  bound: number | null;
  /** Relative gap |incumbent - bound| / max(1, |incumbent|), null when either is missing. */
  gap: number | null;
  /** Incumbent history: [seconds, objective] each time it improved. */
  trace: [number, number][];
  /** Balans only: statistics per arm (empty for plain HiGHS). */
  arms: Record<string, MipArmStats>;
  /** Balans only: the arm of the last iteration and its outcome. */
  lastArm: string | null;
  lastOutcome: MipOutcome | null;
  /** LNS iterations done (Balans) or 0. */
  iterations: number;
  /** Current (accepted) solution's objective for Balans (may be worse than the incumbent under SA). */
  current: number | null;
  seconds: number;
  timeLimit: number;
}

/** The result file of `optiloop mip solve` (CONTRACTS.md fields, plus more). */
export interface MipResult {
  kind: 'mip';
  instance: string;
  method: MipMethod;
  seed: number;
  sense: 'min' | 'max';
  objective: number | null;
  /** optimal | feasible | infeasible | unbounded | no-solution | time-limit-no-solution | error */
  status: string;
  seconds: number;
  solution: Record<string, number>;
  trace: [number, number][];
  arms: Record<string, { pulls: number; meanReward: number } & Partial<MipArmStats>>;
  bound: number | null;
  gap: number | null;
  /** The independent checker's verdict on `solution` (bounds, integrality, rows, objective). */
  check: { feasible: boolean; maxViolation: number; objective: number; messages: string[] } | null;
  iterations: number;
  /** Arms left out because they do not apply to the model, with the reason. */
  notes: string[];
  config: Record<string, unknown>;
  /** Area under the primal-gap curve when a reference value is given, else null. */
  primalIntegral: number | null;
  exports: string[];
}
