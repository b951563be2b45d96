/**
 * File-facing helpers of the MIP workbench: reading an instance (MPS, LP, gzipped MPS), the solution
 * exports (.sol, JSON), and the inspection summary for the UI.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../simulators/errors.ts';
import { parseLp } from '../../simulators/mip/lp.ts';
import { type MipModel, modelCounts, numCols, numRows } from '../../simulators/mip/model.ts';
import { parseMps } from '../../simulators/mip/mps.ts';
import { BALANS_DEFAULT_ARMS, columnClasses, inapplicable, parseArm } from '../../simulators/mip/operators.ts';
import type { MipInspection, MipSparsitySample } from '../../contract/mip.ts';

export const MIP_EXTENSIONS = ['.mps', '.lp', '.mps.gz', '.lp.gz'] as const;

/** Instance name without folder and extension (`pk1` for `/x/pk1.mps.gz`). */
export function instanceName(file: string): string {
  return basename(file).replace(/\.gz$/i, '').replace(/\.(mps|lp)$/i, '');
}

export function formatOf(name: string): 'mps' | 'lp' {
  const n = name.toLowerCase().replace(/\.gz$/, '');
  if (n.endsWith('.lp')) return 'lp';
  if (n.endsWith('.mps')) return 'mps';
  throw new InputError(name, null, 'unknown MIP file type: expected .mps, .lp, .mps.gz or .lp.gz');
}

/** Parses MPS or LP text by the file name's ending. */
export function parseInstance(text: string, name: string): MipModel {
  const model = formatOf(name) === 'lp' ? parseLp(text, name) : parseMps(text, name);
  if (!model.name) model.name = instanceName(name);
  return model;
}

/** Reads and parses an instance file (gzip allowed). */
export function readInstance(file: string): MipModel {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new InputError(file, null, `cannot read: ${(e as Error).message}`);
  }
  if (file.toLowerCase().endsWith('.gz')) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new InputError(file, null, `not a valid gzip file: ${(e as Error).message}`);
    }
  }
  return parseInstance(buf.toString('utf8'), file);
}

/** MIPLIB-style solution file: `=obj= value`, then `name value` per column. */
export function solText(model: MipModel, x: ArrayLike<number>, objective: number): string {
  const lines = [`=obj= ${objective}`];
  for (let j = 0; j < numCols(model); j++) lines.push(`${model.colNames[j]} ${x[j]}`);
  return lines.join('\n') + '\n';
}

/** Rounds integer columns (values within HiGHS's tolerance of an integer) for reporting. */
export function roundIntegers(model: MipModel, x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  for (let j = 0; j < out.length; j++) if (model.colInteger[j]) out[j] = Math.round(out[j]);
  return out;
}

export function sparsitySample(m: MipModel, maxCells = 48): MipSparsitySample {
  const gridRows = Math.max(1, Math.min(maxCells, numRows(m)));
  const gridCols = Math.max(1, Math.min(maxCells, numCols(m)));
  const rowsPer = Math.ceil(Math.max(1, numRows(m)) / gridRows);
  const colsPer = Math.ceil(Math.max(1, numCols(m)) / gridCols);
  const counts = new Array<number>(gridRows * gridCols).fill(0);
  for (let r = 0; r < numRows(m); r++) {
    const br = Math.min(gridRows - 1, Math.floor(r / rowsPer));
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) {
      const bc = Math.min(gridCols - 1, Math.floor(m.rowIndex[k] / colsPer));
      counts[br * gridCols + bc]++;
    }
  }
  return { gridRows, gridCols, counts };
}

export function inspectModel(m: MipModel, format: 'mps' | 'lp'): MipInspection {
  const c = modelCounts(m);
  const rowKinds = { equal: 0, less: 0, greater: 0, ranged: 0, free: 0 };
  for (let r = 0; r < numRows(m); r++) {
    const lo = m.rowLower[r];
    const up = m.rowUpper[r];
    if (lo === up) rowKinds.equal++;
    else if (lo === -Infinity && up === Infinity) rowKinds.free++;
    else if (lo === -Infinity) rowKinds.less++;
    else if (up === Infinity) rowKinds.greater++;
    else rowKinds.ranged++;
  }
  let min = Infinity;
  let max = 0;
  for (const v of m.rowValue) {
    const a = Math.abs(v);
    if (a === 0) continue;
    min = Math.min(min, a);
    max = Math.max(max, a);
  }
  const classes = columnClasses(m);
  const inapplicableOperators: { operator: string; reason: string }[] = [];
  for (const name of [...BALANS_DEFAULT_ARMS, 'dins', 'random_objective']) {
    const why = inapplicable(parseArm(name), classes, true);
    if (why) inapplicableOperators.push({ operator: name, reason: why });
  }
  return {
    name: m.name,
    format,
    sense: m.sense,
    rows: c.rows,
    columns: c.columns,
    integers: c.integers,
    binaries: c.binaries,
    continuous: c.continuous,
    nonZeros: c.nonZeros,
    rowKinds,
    objectiveNonZeros: m.colCost.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0),
    coefficientRange: Number.isFinite(min) ? { min, max } : null,
    sparsity: sparsitySample(m),
    inapplicableOperators,
  };
}
