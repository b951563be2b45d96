/** `optiloop runs list | show ID | resume ID`: the runs directory from the command line. */
import { parseArgs } from 'node:util';
import { defaultRunsDir } from '../paths.ts';
import { Services } from '../services.ts';
import type { CliIO } from './types.ts';

export async function runsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'runs-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [verb, id] = positionals;
  if (values.help || !verb) {
    io.out('Usage: npx optiloop runs list [--json] | show ID | resume ID   [--runs-dir DIR]');
    return values.help ? 0 : 2;
  }
  const runsDir = values['runs-dir'] ?? defaultRunsDir();
  const services = new Services({ runsDir, shell: 'cli' });
  if (verb === 'list') {
    const runs = services.jobs.list();
    if (values.json) {
      io.out(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      io.out(`no runs in ${services.jobs.runsDir}`);
      return 0;
    }
    io.out(`${'ID'.padEnd(36)} ${'STATE'.padEnd(10)} ${'EVALS'.padStart(7)}  BEST          TITLE`);
    for (const r of runs) {
      const best = r.progress?.best;
      io.out(
        `${r.id.padEnd(36)} ${r.state.padEnd(10)} ${String(r.progress?.evaluations ?? 0).padStart(7)}  ${(best === null || best === undefined ? '-' : best.toPrecision(6)).padEnd(13)} ${r.title}`,
      );
    }
    return 0;
  }
  if (!id) {
    io.err(`error: runs ${verb} needs a run ID (see 'npx optiloop runs list')`);
    return 2;
  }
  if (verb === 'show') {
    const d = services.jobs.detail(id);
    const { history: _h, log, ...rest } = d;
    io.out(JSON.stringify({ ...rest, log: log.slice(-20) }, null, 2));
    return 0;
  }
  if (verb === 'resume') {
    services.jobs.resume(id);
    io.err(`resuming ${id} from its journal`);
    const d = await services.jobs.wait(id);
    if (d.state === 'failed') {
      io.err(`error: ${d.error}`);
      return 1;
    }
    io.out(JSON.stringify(d.result, null, 2));
    return 0;
  }
  io.err(`error: unknown runs command '${verb}' (list, show, resume)`);
  return 2;
}
