/** `optiloop doctor`: which learning backend TensorFlow.js got, which engines are installed. */
import { Services } from '../services.ts';
import { defaultRunsDir } from '../paths.ts';
import type { CliIO } from './types.ts';

export async function doctorCommand(argv: string[], io: CliIO): Promise<number> {
  const services = new Services({ runsDir: defaultRunsDir(), shell: 'cli' });
  const info = await services.info();
  if (argv.includes('--json')) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  io.out(`Optiloop ${info.version} on Node ${info.node}, ${info.cores} cores`);
  io.out(`runs directory:   ${info.runsDir}`);
  io.out(`learning backend: ${info.learningBackend ?? 'none'}`);
  try {
    const { backendReport } = (await import('../learning/backend.ts')) as { backendReport?: () => unknown };
    if (backendReport) io.out(`backend report:   ${JSON.stringify(backendReport())}`);
  } catch {
    /* reported above */
  }
  io.out('engines:');
  for (const e of info.engines) io.out(`  ${e.name.padEnd(30)} ${e.version.padEnd(10)} ${e.status}`);
  const examples = services.examples();
  io.out(`bundled examples: ${examples.length}`);
  for (const ex of examples) io.out(`  ${ex.id.padEnd(28)} ${ex.domain.padEnd(8)} ${ex.title}`);
  return 0;
}
