import type { DomainUi } from '../types.ts';

export const gridUi: DomainUi = {
  domain: 'grid',
  label: 'grid',
  options: [{ key: 'seed', label: 'Seed', type: 'number', default: 1, min: 0 }],
};
