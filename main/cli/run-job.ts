/**
 * Runs one job from the command line: validates the options with the workbench's schema, runs the
 * job in the job runner (worker threads, journal, result.json), shows a progress bar on a terminal
 * and plain lines otherwise, writes the result to --out, and maps the outcome to an exit code.
 * Ctrl-C cancels the job: it stops after the evaluations in flight and keeps its best so far.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { JobKind, JobProgress, ProblemInput } from '../../contract/api.ts';
import { Services } from '../services.ts';
import { defaultRunsDir } from '../paths.ts';
import type { CliIO } from './types.ts';

export interface RunJobArgs {
  kind: JobKind;
  /** The problem file; omitted only for jobs without one (the demo job). */
  input?: ProblemInput;
  options: Record<string, unknown>;
  out?: string;
  runsDir?: string;
  io: CliIO;
}

export async function runJobFromCli(args: RunJobArgs): Promise<{ code: number; result: unknown; runDir: string }> {
  const services = new Services({ runsDir: args.runsDir ?? defaultRunsDir(), shell: 'cli' });
  const { io } = args;
  const total = typeof args.options.budget === 'number' ? args.options.budget : null;
  const started = Date.now();
  let lastLine = 0;
  let barShown = false;
  const show = (p: JobProgress) => {
    const best = p.best === null || p.best === undefined ? '-' : formatNum(p.best);
    const label = p.bestLabel ? ` ${p.bestLabel}` : '';
    const feas = p.feasible === undefined ? '' : p.feasible ? ' feasible' : ' infeasible';
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (io.tty) {
      const width = 24;
      const frac = total ? Math.min(1, p.evaluations / total) : 0;
      const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ` : '';
      process.stdout.write(`\r${bar}${p.evaluations}${total ? `/${total}` : ''} best${label} ${best}${feas} ${secs}s   `);
      barShown = true;
    } else if (Date.now() - lastLine > 2000) {
      lastLine = Date.now();
      io.out(`progress: ${p.evaluations}${total ? `/${total}` : ''} evaluations, best${label} ${best}${feas}, ${secs} s`);
    }
  };
  const summary = await services.jobs.start({ kind: args.kind, input: args.input, options: args.options });
  const id = summary.id;
  io.err(`run ${id} in ${summary.runDir}`);
  const off = services.jobs.on((e) => {
    if (e.type === 'job.progress' && e.id === id) show(e.progress);
    if (e.type === 'job.log' && e.id === id && e.level !== 'info') {
      if (barShown) process.stdout.write('\n');
      barShown = false;
      io.err(`${e.level}: ${e.message}`);
    }
  });
  const onSigint = () => {
    io.err('\ncancelling: finishing the evaluations in flight (Ctrl-C again to abort)');
    process.off('SIGINT', onSigint);
    services.jobs.cancel(id);
  };
  process.on('SIGINT', onSigint);
  const detail = await services.jobs.wait(id);
  process.off('SIGINT', onSigint);
  off();
  if (barShown) process.stdout.write('\n');
  if (detail.state === 'failed') {
    io.err(`error: ${detail.error ?? 'job failed'}`);
    return { code: 1, result: null, runDir: summary.runDir };
  }
  if (args.out && detail.result !== null) {
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(detail.result, null, 2) + '\n');
    io.err(`result written to ${out}`);
  }
  io.err(`run directory: ${summary.runDir} (result.json, journal.jsonl, exports/)`);
  return { code: detail.state === 'cancelled' ? 130 : 0, result: detail.result, runDir: summary.runDir };
}

function formatNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : String(Math.round(v * 1e6) / 1e6);
}
