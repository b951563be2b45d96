/**
 * What the UI needs to draw a problem's circuit: top-level devices with typed pins, their
 * parameters and the design variables they depend on.
 */
import type { CircuitProblem } from './problem.ts';
import type { CircuitSchematic, SchematicDevice, SchematicDeviceType } from '../../contract/circuit-schematic.ts';
import { parseNetlist, type ModelDef } from './netlist.ts';
import { exprNames } from './expr.ts';
import { paramDefs } from './engine.ts';

export type { CircuitSchematic, SchematicDevice, SchematicDeviceType };

function deviceType(letter: string, model: string | null, models: ModelDef[]): SchematicDeviceType {
  switch (letter) {
    case 'r':
    case 'c':
    case 'l':
    case 'v':
    case 'i':
    case 'd':
    case 'x':
      return letter;
    case 'm': {
      const m = models.find((x) => x.name === model || (model !== null && x.name.startsWith(`${model}.`)));
      if (m && (m.type === 'nmos' || m.type === 'pmos')) return m.type;
      // engine-shipped model cards: guess from the name (N90/P90, nch/pch, nfet/pfet)
      if (model && /^(p|pch|pfet|pmos)/i.test(model)) return 'pmos';
      return 'nmos';
    }
    case 'q': {
      const m = models.find((x) => x.name === model);
      if (m && (m.type === 'npn' || m.type === 'pnp')) return m.type;
      return model && /pnp/i.test(model) ? 'pnp' : 'npn';
    }
    default:
      return 'other';
  }
}

export function describeNetlist(problem: CircuitProblem): CircuitSchematic {
  const parsed = parseNetlist(problem.netlist, problem.netlistFile);
  const models = [...parsed.models];
  for (const [inc, text] of Object.entries(problem.files)) models.push(...parseNetlist(text, inc, { isLibrary: true, lenient: true }).models);
  const defs = paramDefs(problem, parsed);
  // which design variables each .param depends on
  const varNames = new Map(problem.variables.map((v) => [v.name.toLowerCase(), v.name]));
  const depMemo = new Map<string, Set<string>>();
  const depsOf = (name: string, seen = new Set<string>()): Set<string> => {
    const hit = depMemo.get(name);
    if (hit) return hit;
    const out = new Set<string>();
    if (varNames.has(name)) out.add(varNames.get(name) as string);
    const e = defs.get(name);
    if (e && !seen.has(name)) {
      seen.add(name);
      for (const n of exprNames(e)) for (const v of depsOf(n, seen)) out.add(v);
    }
    depMemo.set(name, out);
    return out;
  };
  const devices: SchematicDevice[] = [];
  const nets = new Set<string>(['0']);
  for (const d of parsed.devices) {
    if (d.subckt !== null) continue;
    const params: Record<string, string> = { ...d.params };
    if (d.value !== null) params.value = d.value;
    const vars = new Set<string>();
    for (const e of Object.values(params)) for (const n of exprNames(e)) for (const v of depsOf(n)) vars.add(v);
    for (const n of d.nodes) nets.add(n === 'gnd' ? '0' : n);
    devices.push({
      name: d.name,
      type: deviceType(d.letter, d.model, models),
      nodes: d.nodes.map((n) => (n === 'gnd' ? '0' : n)),
      params,
      variables: [...vars],
      ...(d.model ? { model: d.model } : {}),
    });
  }
  return { devices, nets: [...nets], ground: '0' };
}
