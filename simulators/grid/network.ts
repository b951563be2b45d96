/**
 * Network model of a distribution case: buses, branches and generators in per unit on the case's
 * MVA base, with the case file's units kept alongside (kW, kVAr, Ohm) where a user reads them.
 */
import { InputError } from '../errors.ts';
import { readMatpower, type MatpowerRaw } from './matpower.ts';

export interface Bus {
  /** MATPOWER bus number. */
  id: number;
  index: number;
  /** 1 PQ, 2 PV, 3 REF, 4 isolated. */
  type: number;
  pLoadPu: number;
  qLoadPu: number;
  gShuntPu: number;
  bShuntPu: number;
  baseKv: number;
  vMaxPu: number;
  vMinPu: number;
  line: number;
}

export interface Branch {
  /** 1-based row of the case's branch matrix. */
  row: number;
  from: number; // bus index
  to: number; // bus index
  rPu: number;
  xPu: number;
  bPu: number;
  /** Off-nominal tap ratio (0 in the file means 1). */
  tap: number;
  shiftDeg: number;
  /** Status in the case file (1 closed, 0 open). */
  status: 0 | 1;
  line: number;
}

export interface Gen {
  bus: number; // bus index
  pgPu: number;
  qgPu: number;
  vgPu: number;
  on: boolean;
}

export interface GridCase {
  name: string;
  fileName: string;
  baseMva: number;
  buses: Bus[];
  branches: Branch[];
  gens: Gen[];
  /** Bus indices of sources (REF buses). */
  sources: number[];
  /** Source voltage magnitude (from the generator set-point at the first source). */
  sourceVPu: number;
  /** Net demand per bus in p.u. (loads minus generation at non-source buses). */
  pNetPu: Float64Array;
  qNetPu: Float64Array;
  /** Buses with voltage-controlling generators other than sources (needs Newton). */
  pvBuses: number[];
  /** True when every branch is a plain line (no taps, no phase shift). */
  plainLines: boolean;
}

const num = (x: number | undefined, d = 0) => (x === undefined || Number.isNaN(x) ? d : x);

export function buildCase(raw: MatpowerRaw, fileName: string): GridCase {
  const bm = raw.matrices.bus;
  const brm = raw.matrices.branch;
  const gm = raw.matrices.gen;
  const busLines = raw.rowLines.bus ?? [];
  const brLines = raw.rowLines.branch ?? [];
  const genLines = raw.rowLines.gen ?? [];
  const base = raw.baseMVA;
  const buses: Bus[] = [];
  const byId = new Map<number, number>();
  bm.forEach((r, i) => {
    const line = busLines[i] ?? raw.fieldLines.bus ?? 0;
    if (r.length < 13) throw new InputError(fileName, line, `bus row has ${r.length} columns, MATPOWER needs 13`);
    const id = r[0];
    if (!Number.isInteger(id) || id <= 0) throw new InputError(fileName, line, `bus number ${id} is not a positive integer`);
    if (byId.has(id)) throw new InputError(fileName, line, `bus ${id} defined twice`);
    const type = r[1];
    if (![1, 2, 3, 4].includes(type)) throw new InputError(fileName, line, `bus ${id}: type ${type} is not 1, 2, 3 or 4`);
    byId.set(id, i);
    buses.push({
      id,
      index: i,
      type,
      pLoadPu: r[2] / base,
      qLoadPu: r[3] / base,
      gShuntPu: r[4] / base,
      bShuntPu: r[5] / base,
      baseKv: r[9],
      vMaxPu: r[11] > 0 ? r[11] : 1.1,
      vMinPu: r[12] > 0 ? r[12] : 0.9,
      line,
    });
    for (const [k, v] of r.slice(0, 13).entries())
      if (!Number.isFinite(v)) throw new InputError(fileName, line, `bus ${id}: column ${k + 1} is not finite`);
  });
  const branches: Branch[] = brm.map((r, i) => {
    const line = brLines[i] ?? raw.fieldLines.branch ?? 0;
    if (r.length < 11) throw new InputError(fileName, line, `branch row has ${r.length} columns, MATPOWER needs 11`);
    const f = byId.get(r[0]);
    const t = byId.get(r[1]);
    if (f === undefined) throw new InputError(fileName, line, `branch ${i + 1}: from-bus ${r[0]} does not exist`);
    if (t === undefined) throw new InputError(fileName, line, `branch ${i + 1}: to-bus ${r[1]} does not exist`);
    if (f === t) throw new InputError(fileName, line, `branch ${i + 1}: connects bus ${r[0]} to itself`);
    for (const k of [2, 3, 4, 8, 9, 10])
      if (!Number.isFinite(r[k])) throw new InputError(fileName, line, `branch ${i + 1}: column ${k + 1} is not finite`);
    if (r[2] < 0) throw new InputError(fileName, line, `branch ${i + 1}: negative resistance`);
    if (r[2] === 0 && r[3] === 0) throw new InputError(fileName, line, `branch ${i + 1}: zero impedance is not supported`);
    return {
      row: i + 1,
      from: f,
      to: t,
      rPu: r[2],
      xPu: r[3],
      bPu: r[4],
      tap: r[8] === 0 ? 1 : r[8],
      shiftDeg: r[9],
      status: r[10] > 0 ? 1 : 0,
      line,
    };
  });
  const gens: Gen[] = gm.map((r, i) => {
    const line = genLines[i] ?? raw.fieldLines.gen ?? 0;
    if (r.length < 8) throw new InputError(fileName, line, `gen row has ${r.length} columns, MATPOWER needs at least 8`);
    const b = byId.get(r[0]);
    if (b === undefined) throw new InputError(fileName, line, `generator ${i + 1}: bus ${r[0]} does not exist`);
    return { bus: b, pgPu: r[1] / base, qgPu: r[2] / base, vgPu: num(r[5], 1) || 1, on: r[7] > 0 };
  });
  const sources = buses.filter((b) => b.type === 3).map((b) => b.index);
  if (sources.length === 0) throw new InputError(fileName, raw.fieldLines.bus ?? null, 'no reference (type 3) bus: a feeder needs a source');
  const srcGen = gens.find((g) => g.on && g.bus === sources[0]);
  const n = buses.length;
  const pNet = new Float64Array(n);
  const qNet = new Float64Array(n);
  for (const b of buses) {
    pNet[b.index] = b.pLoadPu;
    qNet[b.index] = b.qLoadPu;
  }
  const pv = new Set<number>();
  for (const g of gens) {
    if (!g.on || sources.includes(g.bus)) continue;
    pNet[g.bus] -= g.pgPu;
    if (buses[g.bus].type === 2) pv.add(g.bus);
    else qNet[g.bus] -= g.qgPu;
  }
  for (const s of sources) {
    pNet[s] = 0;
    qNet[s] = 0;
  }
  return {
    name: raw.name,
    fileName,
    baseMva: base,
    buses,
    branches,
    gens,
    sources,
    sourceVPu: srcGen?.vgPu ?? 1,
    pNetPu: pNet,
    qNetPu: qNet,
    pvBuses: [...pv],
    plainLines: branches.every((b) => b.tap === 1 && b.shiftDeg === 0),
  };
}

export function parseCase(text: string, fileName: string): GridCase {
  return buildCase(readMatpower(text, fileName), fileName);
}

/** Ohm base of the case (kV^2 / MVA) at the first source's base kV. */
export function zBaseOhm(c: GridCase): number {
  const kv = c.buses[c.sources[0]].baseKv || c.buses[0].baseKv;
  return (kv * kv) / c.baseMva;
}

/** Base configuration: closed mask from the case file's branch status. */
export function baseClosed(c: GridCase): Uint8Array {
  return Uint8Array.from(c.branches, (b) => b.status);
}

export function openRows(c: GridCase, closed: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < closed.length; i++) if (!closed[i]) out.push(c.branches[i].row);
  return out;
}

export function closedFromOpenRows(c: GridCase, rows: readonly number[]): Uint8Array {
  const closed = new Uint8Array(c.branches.length).fill(1);
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 1 || r > c.branches.length) throw new Error(`branch row ${r} out of range 1..${c.branches.length}`);
    closed[r - 1] = 0;
  }
  return closed;
}
