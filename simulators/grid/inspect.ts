/** Builds the inspection payload (one-line diagram data, facts, warnings) of a grid case. */
import type { GridInspection } from '../../contract/grid.ts';
import { baseClosed, openRows, zBaseOhm, type GridCase } from './network.ts';
import { RadialSolver } from './powerflow.ts';
import { Topology } from './topology.ts';

export function inspectCase(c: GridCase, closed: Uint8Array = baseClosed(c)): GridInspection {
  const topo = new Topology(c);
  const chk = topo.check(closed);
  const kw = c.baseMva * 1000;
  const zb = zBaseOhm(c);
  const warnings: string[] = [];
  if (!topo.meshConnected) warnings.push('some buses cannot be reached from a source even with every branch closed');
  if (topo.loops === 0) warnings.push('no switches: the network has no loop, so there is nothing to reconfigure');
  if (!chk.connected) warnings.push(`islanded base case: ${chk.subgraphs} part(s) of the network are not fed by a source`);
  if (!chk.radial) warnings.push(`base case is not radial: ${chk.cycles} closed loop(s)`);
  const pf = chk.connected ? new RadialSolver(c).solve(closed) : null;
  if (pf && !pf.ok) warnings.push(`base case has no power-flow solution: ${pf.message}`);
  const sol = pf && pf.ok ? pf : null;
  if (sol && sol.minVPu < Math.min(...c.buses.filter((b) => !c.sources.includes(b.index)).map((b) => b.vMinPu)))
    warnings.push(`base case violates the lower voltage limit (lowest ${sol.minVPu.toFixed(4)} p.u. at bus ${c.buses[sol.minVBus].id})`);
  const { depth, position } = topo.layout(closed);
  let pl = 0;
  let ql = 0;
  for (const b of c.buses) {
    pl += b.pLoadPu * kw;
    ql += b.qLoadPu * kw;
  }
  const nonSrc = c.buses.filter((b) => !c.sources.includes(b.index));
  return {
    caseName: c.name,
    baseMva: c.baseMva,
    baseKv: c.buses[c.sources[0]].baseKv,
    buses: c.buses.map((b) => ({
      id: b.id,
      index: b.index,
      isSource: c.sources.includes(b.index),
      pLoadKw: b.pLoadPu * kw,
      qLoadKvar: b.qLoadPu * kw,
      depth: depth[b.index],
      position: position[b.index],
      vmPu: sol ? sol.vmPu[b.index] : null,
    })),
    branches: c.branches.map((br, k) => ({
      row: br.row,
      fromBus: c.buses[br.from].id,
      toBus: c.buses[br.to].id,
      status: closed[k] ? 1 : 0,
      isSwitch: topo.isSwitch[k] === 1,
      rOhm: br.rPu * zb,
      xOhm: br.xPu * zb,
      pFlowKw: sol && closed[k] ? sol.pFromPu[k] * kw : null,
    })),
    switches: topo.nSwitches,
    loops: topo.loops,
    baseOpenBranches: openRows(c, closed),
    baseRadial: chk.radial,
    baseConnected: chk.connected,
    baseLossKw: sol ? sol.lossKw : null,
    baseMinVoltagePu: sol ? sol.minVPu : null,
    baseMinVoltageBus: sol ? c.buses[sol.minVBus].id : null,
    totalLoadKw: pl,
    totalLoadKvar: ql,
    vMinPu: nonSrc.length ? Math.min(...nonSrc.map((b) => b.vMinPu)) : 0.9,
    vMaxPu: nonSrc.length ? Math.max(...nonSrc.map((b) => b.vMaxPu)) : 1.1,
    warnings,
  };
}
