import type { DomainUi } from '../types.ts';

export const circuitUi: DomainUi = {
  domain: 'circuit',
  label: 'circuit',
  options: [{ key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0 }],
};
