/** `optiloop serve [--port N] [--runs-dir DIR] [--static DIR]`: web mode on 127.0.0.1. */
import { parseArgs } from 'node:util';
import { startServer } from './index.ts';
import { defaultRunsDir } from '../paths.ts';
import type { CliIO } from '../cli/types.ts';

export async function serveCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '5183' },
      'runs-dir': { type: 'string' },
      static: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out('Usage: npx optiloop serve [--port N] [--runs-dir DIR]\nServes the Optiloop UI and API on http://127.0.0.1:N/ (default 5183; 0 picks a free port).');
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`error: --port must be a port number, got '${values.port}'`);
    return 2;
  }
  const s = await startServer({ port, runsDir: values['runs-dir'] ?? defaultRunsDir(), staticDir: values.static });
  io.out(`Optiloop web mode on ${s.url} (runs in ${s.services.jobs.runsDir}); Ctrl-C to stop`);
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  io.err('stopping: cancelling running jobs (their journals and best results are kept)');
  await s.close();
  return 0;
}
