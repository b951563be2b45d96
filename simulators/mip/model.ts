/**
 * A mixed-integer linear program in memory: columns with bounds, costs and types, rows with lower and
 * upper bounds, the matrix in compressed rows (CSR). Readers (mps.ts, lp.ts) build it through
 * ModelBuilder; writers and the HiGHS adapter read it. Plain data, no solver state.
 */

export type Sense = 'min' | 'max';

export interface MipModel {
  name: string;
  sense: Sense;
  /** Constant term of the objective. */
  objOffset: number;
  colNames: string[];
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 1 = integer (binaries included), 0 = continuous. */
  colInteger: Uint8Array;
  rowNames: string[];
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** CSR: row r has entries rowStart[r] .. rowStart[r+1]-1 of rowIndex (column) / rowValue. */
  rowStart: Int32Array;
  rowIndex: Int32Array;
  rowValue: Float64Array;
}

export const numCols = (m: MipModel): number => m.colNames.length;
export const numRows = (m: MipModel): number => m.rowNames.length;

export function isBinary(m: MipModel, j: number): boolean {
  return m.colInteger[j] === 1 && m.colLower[j] === 0 && m.colUpper[j] === 1;
}

export interface ModelCounts {
  rows: number;
  columns: number;
  integers: number;
  binaries: number;
  continuous: number;
  nonZeros: number;
}

export function modelCounts(m: MipModel): ModelCounts {
  let integers = 0;
  let binaries = 0;
  for (let j = 0; j < numCols(m); j++) {
    if (m.colInteger[j]) integers++;
    if (isBinary(m, j)) binaries++;
  }
  return {
    rows: numRows(m),
    columns: numCols(m),
    integers,
    binaries,
    continuous: numCols(m) - integers,
    nonZeros: m.rowIndex.length,
  };
}

/** Compressed columns (CSC) of a model's matrix, built on demand. */
export function toColumns(m: MipModel): { start: Int32Array; index: Int32Array; value: Float64Array } {
  const n = numCols(m);
  const nnz = m.rowIndex.length;
  const count = new Int32Array(n + 1);
  for (let k = 0; k < nnz; k++) count[m.rowIndex[k] + 1]++;
  for (let j = 0; j < n; j++) count[j + 1] += count[j];
  const start = Int32Array.from(count);
  const fill = Int32Array.from(count);
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  for (let r = 0; r < numRows(m); r++) {
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) {
      const p = fill[m.rowIndex[k]]++;
      index[p] = r;
      value[p] = m.rowValue[k];
    }
  }
  return { start, index, value };
}

/**
 * Incremental construction: columns and rows by name, coefficients in any order (duplicates of the
 * same (row, column) are summed), then build() packs the CSR arrays.
 */
export class ModelBuilder {
  name = '';
  sense: Sense = 'min';
  objOffset = 0;
  readonly colNames: string[] = [];
  readonly colCost: number[] = [];
  readonly colLower: number[] = [];
  readonly colUpper: number[] = [];
  readonly colInteger: number[] = [];
  readonly rowNames: string[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  private readonly rowEntries: Map<number, number>[] = [];
  private readonly colByName = new Map<string, number>();
  private readonly rowByName = new Map<string, number>();

  col(name: string): number | undefined {
    return this.colByName.get(name);
  }

  row(name: string): number | undefined {
    return this.rowByName.get(name);
  }

  /** Returns the column's index, creating it (cost 0, bounds [0, +inf), continuous) if new. */
  addCol(name: string): number {
    const j = this.colByName.get(name);
    if (j !== undefined) return j;
    const k = this.colNames.length;
    this.colNames.push(name);
    this.colCost.push(0);
    this.colLower.push(0);
    this.colUpper.push(Infinity);
    this.colInteger.push(0);
    this.colByName.set(name, k);
    return k;
  }

  addRow(name: string, lower: number, upper: number): number {
    const k = this.rowNames.length;
    this.rowNames.push(name);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    this.rowEntries.push(new Map());
    this.rowByName.set(name, k);
    return k;
  }

  addCoef(row: number, col: number, value: number): void {
    const e = this.rowEntries[row];
    e.set(col, (e.get(col) ?? 0) + value);
  }

  build(): MipModel {
    const m = this.rowNames.length;
    const rowStart = new Int32Array(m + 1);
    let nnz = 0;
    for (let r = 0; r < m; r++) {
      for (const v of this.rowEntries[r].values()) if (v !== 0) nnz++;
      rowStart[r + 1] = nnz;
    }
    const rowIndex = new Int32Array(nnz);
    const rowValue = new Float64Array(nnz);
    let p = 0;
    for (let r = 0; r < m; r++) {
      const entries = [...this.rowEntries[r].entries()].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
      for (const [j, v] of entries) {
        rowIndex[p] = j;
        rowValue[p] = v;
        p++;
      }
    }
    return {
      name: this.name,
      sense: this.sense,
      objOffset: this.objOffset,
      colNames: [...this.colNames],
      colCost: Float64Array.from(this.colCost),
      colLower: Float64Array.from(this.colLower),
      colUpper: Float64Array.from(this.colUpper),
      colInteger: Uint8Array.from(this.colInteger),
      rowNames: [...this.rowNames],
      rowLower: Float64Array.from(this.rowLower),
      rowUpper: Float64Array.from(this.rowUpper),
      rowStart,
      rowIndex,
      rowValue,
    };
  }
}

/** Objective value c'x + offset (model sense). */
export function objectiveValue(m: MipModel, x: ArrayLike<number>): number {
  let z = m.objOffset;
  for (let j = 0; j < numCols(m); j++) z += m.colCost[j] * x[j];
  return z;
}
