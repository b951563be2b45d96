/**
 * Grid reconfiguration payloads shared by the engine, the CLI and the UI.
 * Stable: extend rather than rename. Units are in the names where not SI.
 */

/** One bus of the one-line diagram. `depth`/`position` place it in the radial tree drawing. */
export interface GridBusView {
  /** MATPOWER bus number (column BUS_I). */
  id: number;
  /** 0-based index in the bus matrix. */
  index: number;
  /** True for a source (slack / substation) bus. */
  isSource: boolean;
  pLoadKw: number;
  qLoadKvar: number;
  /** Hop distance from the source in the base configuration's tree (0 for a source). */
  depth: number;
  /** Horizontal slot in the tree drawing (leaves get consecutive slots, parents are centred). */
  position: number;
  /** Voltage magnitude of the base configuration's power flow, null if it has none. */
  vmPu: number | null;
}

/** One branch (row of the branch matrix). */
export interface GridBranchView {
  /** 1-based row number in the case file's branch matrix (MATPOWER order). */
  row: number;
  fromBus: number;
  toBus: number;
  /** Status in the configuration shown (1 closed, 0 open). */
  status: 0 | 1;
  /** True when the branch lies on a loop of the meshed network (it can be opened). */
  isSwitch: boolean;
  rOhm: number;
  xOhm: number;
  /** Active-power flow from -> to in the configuration shown (kW), null when open or unsolved. */
  pFlowKw: number | null;
}

/** `Inspection.details` for a grid case. */
export interface GridInspection {
  caseName: string;
  baseMva: number;
  baseKv: number;
  buses: GridBusView[];
  branches: GridBranchView[];
  /** Count of branches that lie on a loop (can be switched). */
  switches: number;
  /** Independent loops (cyclomatic number) = branches to open for a radial network. */
  loops: number;
  /** 1-based rows open in the case file. */
  baseOpenBranches: number[];
  /** Base configuration: radial and connected? */
  baseRadial: boolean;
  baseConnected: boolean;
  baseLossKw: number | null;
  baseMinVoltagePu: number | null;
  baseMinVoltageBus: number | null;
  totalLoadKw: number;
  totalLoadKvar: number;
  vMinPu: number;
  vMaxPu: number;
  /** Human-readable warnings (islanded base case, no switches, ...). */
  warnings: string[];
}

/** One point of the loss / switching-operations Pareto front. */
export interface GridParetoPoint {
  /** Switching operations from the base configuration (each opened + each closed switch counts 1). */
  switchingOps: number;
  openBranches: number[];
  lossKw: number;
  minVoltagePu: number;
  /** True when the point is a proven optimum for this many operations. */
  proven: boolean;
}

/** `JobProgress.data` of a grid job. */
export interface GridProgress {
  agent: string;
  /** Power flows so far. */
  powerFlows: number;
  /** Current best (feasible, radial) configuration, null while none. */
  bestOpenBranches: number[] | null;
  bestLossKw: number | null;
  bestMinVoltagePu: number | null;
  baseLossKw: number | null;
  /** Lower bound on the optimal loss (exact agent), null when unknown. */
  lowerBoundKw: number | null;
  /** Best loss against power flows (sparse trace for a chart): [powerFlows, lossKw]. */
  trace: [number, number][];
  /** Per-bus voltages of the current best (same order as GridInspection.buses), null while none. */
  vmPu: number[] | null;
  /** Pareto front when computed. */
  pareto?: GridParetoPoint[];
  /** Phase label: 'base', 'search', 'pareto', 'training', 'inference', 'done'. */
  phase: string;
}

/** Per-scenario report of the learning agent (LLM4DistReconfig counts must be zero). */
export interface GridScenarioReport {
  scenario: number;
  lossKw: number;
  referenceLossKw: number;
  gapPct: number;
  minVoltagePu: number;
  inferenceMs: number;
  invalidEdges: number;
  cycles: number;
  subgraphs: number;
}

/** Result file of `optiloop grid reconfigure` (CONTRACTS.md fields plus extras). */
export interface GridResult {
  kind: 'grid';
  case: string;
  agent: string;
  seed: number;
  openBranches: number[];
  lossKw: number;
  baseLossKw: number;
  minVoltagePu: number;
  powerFlows: number;
  seconds: number;
  // extras
  feasible: boolean;
  minVoltageBus: number | null;
  baseOpenBranches: number[];
  baseMinVoltagePu: number | null;
  switchingOps: number;
  /** 'proven' (exact finished), 'time-limit', 'heuristic', 'cancelled'. */
  proofStatus: string;
  lowerBoundKw: number | null;
  message: string | null;
  pareto: GridParetoPoint[];
  scenarios?: GridScenarioReport[];
  backend?: string;
  exports: string[];
}
