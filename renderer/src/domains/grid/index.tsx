import type { GridResult } from '../../../../contract/grid.ts';
import { isObj, num } from '../../format.ts';
import { registerAccumulator } from '../../state/store.ts';
import type { DomainUi } from '../types.ts';
import { GridInspect, GridLive, foldGrid } from './GridViews.tsx';

registerAccumulator('grid', foldGrid);

export const gridUi: DomainUi = {
  domain: 'grid',
  label: 'Grid reconfiguration',
  options: [
    {
      key: 'agent',
      label: 'Agent',
      type: 'select',
      default: 'exhaustive',
      choices: [
        { value: 'exhaustive', label: 'Exact (proves the optimum)' },
        { value: 'local', label: 'Local search (branch exchange)' },
        { value: 'rl', label: 'Learning agent' },
      ],
    },
    { key: 'timeLimit', label: 'Time limit', type: 'number', unit: 's', default: 30, min: 1, max: 86400 },
    { key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0, help: 'Same seed, same run.' },
  ],
  Inspect: GridInspect,
  Live: GridLive,
  summarize: (r) => {
    if (!isObj(r)) return [];
    const g = r as unknown as Partial<GridResult>;
    return [
      { label: 'agent', value: String(g.agent ?? '–') },
      { label: 'loss kW', value: num(g.lossKw ?? null, 6) },
      { label: 'base loss kW', value: num(g.baseLossKw ?? null, 6) },
      { label: 'min voltage p.u.', value: num(g.minVoltagePu ?? null, 5) },
      { label: 'open branches', value: (g.openBranches ?? []).join(' ') },
      { label: 'power flows', value: num(g.powerFlows ?? null) },
      { label: 'proof', value: String(g.proofStatus ?? '–') },
    ];
  },
};
