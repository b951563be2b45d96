/**
 * Exports of a reconfiguration: the switch plan (JSON object and CSV) and the case file with the
 * branch status column rewritten, still a MATPOWER version 2 case (comments and conversion code kept).
 */
import type { GridCase } from './network.ts';

export interface SwitchAction {
  step: number;
  /** 1-based branch row. */
  row: number;
  fromBus: number;
  toBus: number;
  action: 'close' | 'open';
}

/**
 * Switching sequence from `from` to `to` (both radial): close a tie, then open a branch of the loop
 * it made, so the network is radial again after every pair (make-before-break).
 */
export function switchPlan(c: GridCase, from: Uint8Array, to: Uint8Array, loopOf?: (cur: Uint8Array, e: number) => number[]): SwitchAction[] {
  const plan: SwitchAction[] = [];
  const cur = from.slice();
  const toClose: number[] = [];
  const toOpen = new Set<number>();
  for (let k = 0; k < from.length; k++) {
    if (!from[k] && to[k]) toClose.push(k);
    if (from[k] && !to[k]) toOpen.add(k);
  }
  const add = (k: number, action: 'close' | 'open') => {
    const b = c.branches[k];
    plan.push({ step: plan.length + 1, row: b.row, fromBus: c.buses[b.from].id, toBus: c.buses[b.to].id, action });
  };
  for (const e of toClose) {
    cur[e] = 1;
    add(e, 'close');
    const loop = loopOf ? loopOf(cur, e) : [];
    const f = loop.find((k) => toOpen.has(k)) ?? [...toOpen][0];
    if (f !== undefined) {
      cur[f] = 0;
      toOpen.delete(f);
      add(f, 'open');
    }
  }
  for (const f of toOpen) add(f, 'open');
  return plan;
}

export function planCsv(plan: SwitchAction[]): string {
  return ['step,branch_row,from_bus,to_bus,action', ...plan.map((a) => `${a.step},${a.row},${a.fromBus},${a.toBus},${a.action}`)].join('\n') + '\n';
}

/**
 * Rewrites the BR_STATUS column (11th) of every branch row in the original text. `newName` renames
 * the case function so that MATPOWER's loadcase finds it under the new file name.
 */
export function caseWithStatus(text: string, c: GridCase, closed: Uint8Array, newName: string, note: string): string {
  const lines = text.split(/\r?\n/);
  const byLine = new Map<number, number[]>();
  for (let k = 0; k < c.branches.length; k++) {
    const l = c.branches[k].line;
    if (!byLine.has(l)) byLine.set(l, []);
    byLine.get(l)!.push(k);
  }
  for (const [l, ks] of byLine) {
    const raw = lines[l - 1];
    const ci = raw.search(/[%#]/);
    let code = ci >= 0 ? raw.slice(0, ci) : raw;
    const comment = ci >= 0 ? raw.slice(ci) : '';
    // rows on this line, in order: segments separated by ';' (skip the part before '[' if any)
    const open = code.indexOf('[');
    const prefix = open >= 0 ? code.slice(0, open + 1) : '';
    code = open >= 0 ? code.slice(open + 1) : code;
    const segs = code.split(';');
    let r = 0;
    for (let s = 0; s < segs.length && r < ks.length; s++) {
      if (segs[s].trim() === '' || /^\s*\]/.test(segs[s])) continue;
      let count = 0;
      segs[s] = segs[s].replace(/[^\s,\]]+/g, (tok) => {
        count++;
        return count === 11 ? String(closed[ks[r]] ? 1 : 0) : tok;
      });
      r++;
    }
    lines[l - 1] = prefix + segs.join(';') + comment;
  }
  let out = lines.join('\n');
  out = out.replace(/^(\s*function\s+\w+\s*=\s*)(\w+)/m, `$1${newName}`);
  const header = note
    .split('\n')
    .map((s) => `%   ${s}`)
    .join('\n');
  out = out.replace(/^(\s*function[^\n]*\n)/m, `$1%   ---- Optiloop reconfiguration ----\n${header}\n`);
  return out;
}
