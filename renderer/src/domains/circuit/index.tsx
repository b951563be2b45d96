import type { CircuitResult } from '../../../../contract/circuit.ts';
import { isObj, num } from '../../format.ts';
import { registerAccumulator } from '../../state/store.ts';
import type { DomainUi } from '../types.ts';
import { foldCircuit } from './acc.ts';
import { CircuitInspect } from './CircuitInspect.tsx';
import { CircuitLive } from './CircuitLive.tsx';

registerAccumulator('circuit', foldCircuit);

export const circuitUi: DomainUi = {
  domain: 'circuit',
  label: 'Circuit sizing',
  options: [
    {
      key: 'agent',
      label: 'Agent',
      type: 'select',
      default: 'ddpg',
      choices: [
        { value: 'ddpg', label: 'DDPG (L2DC)' },
        { value: 'cmaes', label: 'CMA-ES' },
        { value: 'random', label: 'Random search' },
      ],
    },
    { key: 'budget', label: 'Budget', type: 'number', unit: 'simulations', default: 500, min: 1, max: 1_000_000 },
    { key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0, help: 'Same seed, same run.' },
    { key: 'workers', label: 'Workers', type: 'number', min: 1, max: 64, optional: true, help: 'Simulator threads; default: all cores.' },
  ],
  Inspect: CircuitInspect,
  Live: CircuitLive,
  summarize: (r) => {
    if (!isObj(r)) return [];
    const c = r as unknown as Partial<CircuitResult>;
    const out = [
      { label: 'agent', value: String(c.agent ?? '–') },
      { label: 'feasible', value: c.feasible ? 'yes' : 'no' },
      { label: 'first feasible at', value: c.firstFeasibleAt ? String(c.firstFeasibleAt) : '–' },
      { label: 'simulations', value: num(c.simulations ?? null) },
      { label: 'Pareto designs', value: String(c.pareto?.length ?? 0) },
    ];
    for (const [k, v] of Object.entries(c.best?.metrics ?? {})) out.push({ label: `best ${k}`, value: num(v, 5) });
    return out;
  },
};
