/**
 * Client-side state: job summaries, the progress history and log of every job seen live, and the
 * problem currently open. Engine events arrive throttled; we fold them in here and notify React at
 * most once per animation frame, so charts update incrementally without flooding renders.
 */
import { useSyncExternalStore } from 'react';
import type { ApiError, ApiEvent, Inspection, JobDetail, JobProgress, JobSummary, LogLevel, ProblemInput } from '../../../contract/api.ts';
import { api, onConnectionState } from '../api/client.ts';

export interface ProgressPoint {
  /** Milliseconds since the job started (client clock when the event arrived). */
  tMs: number;
  evaluations: number;
  best: number | null;
  feasible: boolean | null;
  data: unknown;
}

export interface LogLine {
  t: string;
  level: LogLevel;
  message: string;
}

/** The problem open in the problem view: a parsed inspection, or a file that failed to parse. */
export type OpenProblem =
  | { status: 'loading'; name: string }
  | { status: 'ok'; input: ProblemInput; inspection: Inspection }
  | { status: 'error'; name: string; text: string | null; error: ApiError };

const MAX_POINTS = 4000;
const MIN_RENDER_INTERVAL_MS = 200;

/** Folds one progress report into a domain's running state (kept per job, fed every report). */
export type Accumulator = (acc: unknown, p: JobProgress, job: JobSummary | undefined) => unknown;
const accumulators = new Map<string, Accumulator>();
export function registerAccumulator(kind: string, fn: Accumulator): void {
  accumulators.set(kind, fn);
}
const MAX_LOG = 2000;

class Store {
  jobs = new Map<string, JobSummary>();
  history = new Map<string, ProgressPoint[]>();
  logs = new Map<string, LogLine[]>();
  details = new Map<string, JobDetail>();
  /** Domain state folded from every progress report (see registerAccumulator). */
  acc = new Map<string, unknown>();
  /** Progress reports folded so far per job. */
  folded = new Map<string, number>();
  problem: OpenProblem | null = null;
  version = 0;
  private listeners = new Set<() => void>();
  private scheduled = false;
  private lastFlush = -Infinity;
  private started = false;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;

  /**
   * Batches notifications: at most one render per animation frame and at most one every
   * MIN_RENDER_INTERVAL_MS, so a busy run redraws its charts a few times a second however fast
   * progress arrives, and a starved machine is not asked for more renders than it can paint.
   */
  changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      this.lastFlush = performance.now();
      for (const l of [...this.listeners]) l();
    };
    const frame = () => {
      if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden') requestAnimationFrame(flush);
      else flush();
    };
    const wait = this.lastFlush + MIN_RENDER_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(frame, wait);
    else frame();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    api().on((e) => this.onEvent(e));
    void this.refreshJobs();
    // After the event stream reconnects (engine restarted, network blip), catch up on missed states.
    let last: string | null = null;
    onConnectionState((s) => {
      if (s === 'open' && last !== null && last !== 'open') void this.refreshJobs();
      last = s;
    });
  }

  async refreshJobs(): Promise<void> {
    try {
      const list = await api().invoke('jobs.list', {});
      for (const j of list) this.upsert(j);
      this.changed();
    } catch {
      /* shown by the views that need it */
    }
  }

  upsert(job: JobSummary): void {
    const prev = this.jobs.get(job.id);
    this.jobs.set(job.id, job);
    if (job.progress && !this.folded.get(job.id) && (!prev || prev.progress !== job.progress)) this.fold(job.id, job.progress);
    const det = this.details.get(job.id);
    if (det && det.state !== job.state) this.details.set(job.id, { ...det, ...job });
  }

  /** One progress report: into the generic history and the domain's accumulator. */
  fold(id: string, p: JobProgress): void {
    const job = this.jobs.get(id);
    this.folded.set(id, (this.folded.get(id) ?? 0) + 1);
    const fn = job ? accumulators.get(job.kind) : undefined;
    if (fn) {
      try {
        this.acc.set(id, fn(this.acc.get(id), p, job));
      } catch (e) {
        console.error('progress accumulator failed', e);
      }
    }
    this.pushProgress(id, p);
  }

  private pushProgress(id: string, p: JobProgress): void {
    const job = this.jobs.get(id);
    let hist = this.history.get(id);
    if (!hist) {
      hist = [];
      this.history.set(id, hist);
    }
    const startMs = job?.startedAt ? Date.parse(job.startedAt) : NaN;
    const last = hist[hist.length - 1];
    const tMs = Number.isFinite(startMs) ? Math.max(0, Date.now() - startMs) : last ? last.tMs + 1 : 0;
    if (last && last.evaluations === p.evaluations && last.best === (p.best ?? null) && last.data === p.data) return;
    hist.push({ tMs, evaluations: p.evaluations ?? 0, best: p.best ?? null, feasible: p.feasible ?? null, data: p.data });
    if (hist.length > MAX_POINTS) {
      // Keep the first and last points exact; thin the middle by half.
      const thinned = hist.filter((_, i) => i === 0 || i === hist!.length - 1 || i % 2 === 0);
      this.history.set(id, thinned);
    }
  }

  onEvent(e: ApiEvent): void {
    switch (e.type) {
      case 'job.state':
        this.upsert(e.job);
        if (e.job.state === 'done' || e.job.state === 'failed' || e.job.state === 'cancelled') void this.loadDetail(e.job.id);
        break;
      case 'job.progress': {
        const job = this.jobs.get(e.id);
        if (job) this.jobs.set(e.id, { ...job, progress: e.progress, state: job.state === 'queued' ? 'running' : job.state });
        const batch = Array.isArray(e.batch) && e.batch.length ? e.batch : [e.progress];
        for (const p of batch) this.fold(e.id, p);
        break;
      }
      case 'job.log': {
        let log = this.logs.get(e.id);
        if (!log) {
          log = [];
          this.logs.set(e.id, log);
        }
        log.push({ t: e.t, level: e.level, message: e.message });
        if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
        break;
      }
      default:
        return;
    }
    this.changed();
  }

  async loadDetail(id: string): Promise<JobDetail> {
    const d = await api().invoke('jobs.get', { id });
    this.details.set(id, d);
    // Reopened run (or events missed): rebuild charts from the engine's progress history.
    const hist = Array.isArray(d.history) ? d.history : [];
    if (hist.length > (this.folded.get(id) ?? 0)) {
      this.acc.delete(id);
      this.history.delete(id);
      this.folded.set(id, 0);
      this.jobs.set(id, { ...(this.jobs.get(id) ?? d), ...stripDetail(d) });
      for (const p of hist) this.fold(id, p);
    }
    this.upsert(stripDetail(d));
    // Merge the engine's log with what we saw live (the engine's is authoritative when longer).
    const live = this.logs.get(id) ?? [];
    if (d.log && d.log.length >= live.length) this.logs.set(id, [...d.log]);
    this.changed();
    return d;
  }

  setProblem(p: OpenProblem | null): void {
    this.problem = p;
    this.changed();
  }
}

function stripDetail(d: JobDetail): JobSummary {
  const { id, kind, title, state, createdAt, startedAt, endedAt, progress, error, runDir } = d;
  return { id, kind, title, state, createdAt, startedAt, endedAt, progress, error, runDir };
}

export const store = new Store();

/** Re-renders the caller when the store changes (at most once per frame). */
export function useStore(): Store {
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}
