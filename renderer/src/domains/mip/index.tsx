import type { MipResult } from '../../../../contract/mip.ts';
import { isObj, num } from '../../format.ts';
import { registerAccumulator } from '../../state/store.ts';
import type { DomainUi } from '../types.ts';
import { MipInspect, MipLive, foldMip } from './MipViews.tsx';

registerAccumulator('mip', foldMip);

export const mipUi: DomainUi = {
  domain: 'mip',
  label: 'MIP search',
  options: [
    {
      key: 'method',
      label: 'Method',
      type: 'select',
      default: 'balans',
      choices: [
        { value: 'balans', label: 'Balans (bandit LNS)' },
        { value: 'highs', label: 'HiGHS alone' },
      ],
    },
    { key: 'timeLimit', label: 'Time limit', type: 'number', unit: 's', default: 30, min: 1, max: 604800 },
    { key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0, help: 'Same seed, same run.' },
    {
      key: 'bandit',
      label: 'Bandit',
      type: 'select',
      optional: true,
      choices: [
        { value: 'softmax', label: 'softmax' },
        { value: 'epsilon-greedy', label: 'ε-greedy' },
        { value: 'ucb1', label: 'UCB1' },
        { value: 'thompson', label: 'Thompson sampling' },
      ],
    },
    {
      key: 'accept',
      label: 'Acceptance',
      type: 'select',
      optional: true,
      choices: [
        { value: 'hill-climbing', label: 'hill climbing' },
        { value: 'simulated-annealing', label: 'simulated annealing' },
      ],
    },
  ],
  Inspect: MipInspect,
  Live: MipLive,
  summarize: (r) => {
    if (!isObj(r)) return [];
    const m = r as unknown as Partial<MipResult>;
    return [
      { label: 'method', value: String(m.method ?? '–') },
      { label: 'objective', value: num(m.objective ?? null, 8) },
      { label: 'status', value: String(m.status ?? '–') },
      { label: 'bound', value: num(m.bound ?? null, 8) },
      { label: 'gap', value: m.gap !== null && m.gap !== undefined ? `${num(m.gap * 100, 3)} %` : '–' },
      { label: 'iterations', value: num(m.iterations ?? null) },
      { label: 'primal integral', value: num(m.primalIntegral ?? null, 5) },
    ];
  },
};
