/**
 * `npx optiloop ...`: the headless shell. Workbench verbs come from main/<domain>/cli.ts; the
 * commands here are the shell's own: serve (web mode), runs, doctor, demo.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliIO, DomainCli } from './types.ts';
import { runsCommand } from './runs.ts';
import { doctorCommand } from './doctor.ts';
import { runJobFromCli } from './run-job.ts';
import { appVersion } from '../versions.ts';
import { isInputError } from '../../simulators/errors.ts';

const DOMAINS = ['circuit', 'grid', 'mip'] as const;

export async function loadDomainCli(name: string): Promise<DomainCli | null> {
  const url = new URL(`../${name}/cli.ts`, import.meta.url);
  const js = new URL(`../${name}/cli.js`, import.meta.url);
  if (!existsSync(url) && !existsSync(js)) return null;
  return ((await import(existsSync(js) ? js.href : url.href)) as { default: DomainCli }).default;
}

async function help(io: CliIO): Promise<void> {
  io.out(`Optiloop ${appVersion()}: learning agents that optimise designs against embedded simulators.

Usage: npx optiloop <command> [options]

Workbenches:`);
  for (const d of DOMAINS) {
    const cli = await loadDomainCli(d);
    if (!cli) continue;
    for (const [verb, v] of Object.entries(cli.verbs)) io.out(`  ${`${d} ${verb}`.padEnd(22)} ${v.summary}`);
  }
  io.out(`
App:
  serve [--port N] [--runs-dir DIR]   web mode: the desktop UI in a browser, on 127.0.0.1
  runs list|show ID|resume ID         runs in the runs directory (--runs-dir DIR)
  doctor                              learning backend, engines and their versions
  demo run [--budget N] [--seed S]    a small test job (Rosenbrock ES) through the job runner

Run 'npx optiloop <command> --help' for a command's options.`);
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    await help(io);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.out(appVersion());
    return 0;
  }
  if (cmd === 'serve') {
    const { serveCommand } = await import('../server/cli.ts');
    return serveCommand(rest, io);
  }
  if (cmd === 'runs') return runsCommand(rest, io);
  if (cmd === 'doctor') return doctorCommand(rest, io);
  if (cmd === 'demo') return demoCommand(rest, io);
  if ((DOMAINS as readonly string[]).includes(cmd)) {
    const cli = await loadDomainCli(cmd);
    if (!cli) {
      io.err(`error: the ${cmd} workbench is not installed in this build`);
      return 2;
    }
    const [verb, ...args] = rest;
    if (!verb || verb === '--help' || verb === '-h') {
      io.out(`${cli.summary}\n\nUsage: npx optiloop ${cmd} <verb> [options]\n`);
      for (const [name, v] of Object.entries(cli.verbs)) io.out(`  ${name.padEnd(14)} ${v.summary}`);
      return 0;
    }
    const v = cli.verbs[verb];
    if (!v) {
      io.err(`error: unknown command '${cmd} ${verb}' (known: ${Object.keys(cli.verbs).join(', ')})`);
      return 2;
    }
    if (args.includes('--help') || args.includes('-h')) {
      io.out(v.usage);
      return 0;
    }
    return v.run(args, io);
  }
  io.err(`error: unknown command '${cmd}'. Run 'npx optiloop --help'.`);
  return 2;
}

async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const usage = 'Usage: npx optiloop demo run [--budget N] [--seed S] [--workers W] [--delay-ms MS] [--runs-dir DIR] [--out FILE]';
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      budget: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      'delay-ms': { type: 'string' },
      'runs-dir': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'run') {
    io.out(usage);
    return values.help ? 0 : 2;
  }
  const options: Record<string, unknown> = {};
  for (const [k, key] of [['budget', 'budget'], ['seed', 'seed'], ['workers', 'workers'], ['delay-ms', 'delayMs']] as const) {
    const raw = values[k];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isInteger(n)) {
      io.err(`error: --${k} must be a whole number, got '${raw}'`);
      return 2;
    }
    options[key] = n;
  }
  const r = await runJobFromCli({ kind: 'demo', options, out: values.out, runsDir: values['runs-dir'], io });
  return r.code;
}

/** Maps an exception to the one-line error of the contract (file:line: message). */
export function reportError(e: unknown, io: CliIO): number {
  if (isInputError(e)) {
    io.err(`error: ${e.message}`);
    return 1;
  }
  const msg = e instanceof Error ? e.message : String(e);
  io.err(`error: ${msg}`);
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const io: CliIO = { out: (l) => console.log(l), err: (l) => console.error(l), tty: Boolean(process.stdout.isTTY) };
  main(process.argv.slice(2), io)
    .catch((e: unknown) => reportError(e, io))
    .then((code) => {
      // Engines and learning backends may leave handles open: the command is done, so end.
      process.exit(code);
    });
}
