/** Client-side helpers for grid configurations: switching sequences that keep the feeder radial. */
import type { GridBranchView } from '../../../../contract/grid.ts';

export interface SwitchOp {
  action: 'close' | 'open';
  row: number;
  fromBus: number;
  toBus: number;
}

/** Path of branch rows between two buses in the closed network (BFS), null if none. */
function pathRows(branches: GridBranchView[], open: Set<number>, a: number, b: number): number[] | null {
  const adj = new Map<number, { to: number; row: number }[]>();
  for (const br of branches) {
    if (open.has(br.row)) continue;
    (adj.get(br.fromBus) ?? adj.set(br.fromBus, []).get(br.fromBus)!).push({ to: br.toBus, row: br.row });
    (adj.get(br.toBus) ?? adj.set(br.toBus, []).get(br.toBus)!).push({ to: br.fromBus, row: br.row });
  }
  const prev = new Map<number, { from: number; row: number }>();
  const seen = new Set([a]);
  const queue = [a];
  while (queue.length) {
    const u = queue.shift()!;
    if (u === b) break;
    for (const e of adj.get(u) ?? []) {
      if (seen.has(e.to)) continue;
      seen.add(e.to);
      prev.set(e.to, { from: u, row: e.row });
      queue.push(e.to);
    }
  }
  if (!seen.has(b)) return null;
  const rows: number[] = [];
  for (let v = b; v !== a; ) {
    const p = prev.get(v)!;
    rows.push(p.row);
    v = p.from;
  }
  return rows;
}

/**
 * Orders the operations from `baseOpen` to `targetOpen` as close/open pairs: each closed switch
 * makes one loop, and the paired opening is a switch on that loop, so the network is radial
 * after every pair (the way operators switch a feeder without islanding load).
 */
export function switchingSequence(branches: GridBranchView[], baseOpen: number[], targetOpen: number[]): SwitchOp[] {
  const byRow = new Map(branches.map((b) => [b.row, b]));
  const target = new Set(targetOpen);
  const toClose = baseOpen.filter((r) => !target.has(r));
  const toOpen = new Set(targetOpen.filter((r) => !baseOpen.includes(r)));
  const open = new Set(baseOpen);
  const ops: SwitchOp[] = [];
  const op = (action: 'close' | 'open', row: number) => {
    const b = byRow.get(row);
    ops.push({ action, row, fromBus: b?.fromBus ?? 0, toBus: b?.toBus ?? 0 });
  };
  const pending = [...toClose];
  let guard = 0;
  while (pending.length && guard++ < 1000) {
    let progressed = false;
    for (let i = 0; i < pending.length; i++) {
      const row = pending[i];
      const br = byRow.get(row);
      if (!br) continue;
      const loop = pathRows(branches, open, br.fromBus, br.toBus);
      const partner = loop?.find((r) => toOpen.has(r));
      if (partner === undefined) continue;
      open.delete(row);
      op('close', row);
      open.add(partner);
      toOpen.delete(partner);
      op('open', partner);
      pending.splice(i, 1);
      progressed = true;
      break;
    }
    if (!progressed) break;
  }
  // Anything left (a case that is not radial to begin with): plain order, opens first.
  for (const r of toOpen) op('open', r);
  for (const r of pending) op('close', r);
  return ops;
}
