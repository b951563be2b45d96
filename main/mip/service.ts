/**
 * The MIP workbench's DomainService: opens .mps / .lp files (gzip too), lists the bundled examples of
 * resources/mip/, and inspects a file (counts, row kinds, coefficient range, sparsity picture, and the
 * Balans operators that do not apply to it).
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { registerDomain, type DomainService } from '../domains.ts';
import type { Example, Inspection } from '../../contract/api.ts';
import { formatOf, inspectModel, instanceName, MIP_EXTENSIONS, parseInstance } from './io.ts';

const OPTIMA: Record<string, string> = {
  markshare_4_0: 'MIPLIB 2017, 4 rows x 34 columns, optimum 1 (hard for its size)',
  'gen-ip054': 'MIPLIB 2017, 27 x 30 general integers, optimum 6840.966',
  pk1: 'MIPLIB 2017, 45 x 86, optimum 11',
  neos5: 'MIPLIB 2017, 63 x 63, optimum 15',
  mas76: 'MIPLIB 2017, 12 x 151, optimum 40005.054',
  'assign1-5-8': 'MIPLIB 2017, 161 x 156, optimum 212',
  workshop: 'A small production plan in CPLEX LP format, optimum 1030 (maximise)',
};

export function resourcesDir(): string {
  return fileURLToPath(new URL('../../resources/mip/', import.meta.url));
}

export const mipService: DomainService = {
  domain: 'mip',
  extensions: MIP_EXTENSIONS,
  examples(): Example[] {
    const dir = resourcesDir();
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => MIP_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e)))
      .sort()
      .map((f) => {
        const name = instanceName(f);
        return {
          id: `mip/${name}`,
          domain: 'mip' as const,
          title: name,
          description: OPTIMA[name] ?? 'MIP instance',
          file: join(dir, f),
        };
      });
  },
  inspect(name: string, text: string): Inspection {
    const format = formatOf(name);
    const model = parseInstance(text, name);
    const d = inspectModel(model, format);
    return {
      domain: 'mip',
      name,
      text,
      title: `${d.name} (${format.toUpperCase()}, ${d.sense === 'max' ? 'maximise' : 'minimise'})`,
      facts: {
        rows: d.rows,
        columns: d.columns,
        integers: d.integers,
        binaries: d.binaries,
        continuous: d.continuous,
        'non-zeros': d.nonZeros,
        sense: d.sense,
      },
      details: d,
    };
  },
  jobModule: new URL('./job.ts', import.meta.url),
};

registerDomain(mipService);
