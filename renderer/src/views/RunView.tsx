import { memo, useEffect, useRef, useState } from 'react';
import type { Inspection, JobDetail } from '../../../contract/api.ts';
import { api, toApiError } from '../api/client.ts';
import { Card, KindTag, Stat, StateBadge, downloadText, elapsedMs } from '../components/common.tsx';
import { Icon } from '../components/Icon.tsx';
import { Plot } from '../components/Plot.tsx';
import { domainUi } from '../domains/index.ts';
import { basename, clock, duration, isObj, num } from '../format.ts';
import { modKey, useCommand } from '../state/commands.ts';
import { navigate } from '../state/router.ts';
import { store, useStore, type LogLine } from '../state/store.ts';

export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}

const inspections = new Map<string, Promise<Inspection | null>>();

/** The inspection of the problem a job ran on (by its absolute file path), cached. */
export function useJobInspection(detail: JobDetail | null): Inspection | null {
  const [ins, setIns] = useState<Inspection | null>(null);
  const file = detail && isObj(detail.options) && typeof detail.options.file === 'string' ? detail.options.file : null;
  const kind = detail?.kind ?? null;
  useEffect(() => {
    if (!file || !kind || kind === 'demo') return;
    let p = inspections.get(file);
    if (!p) {
      p = api()
        .invoke('problem.inspect', { input: { path: file }, domain: kind })
        .catch(() => null);
      inspections.set(file, p);
    }
    let live = true;
    void p.then((x) => live && setIns(x));
    return () => {
      live = false;
    };
  }, [file, kind]);
  return ins;
}

export function RunView({ id }: { id: string }) {
  const s = useStore();
  const job = s.jobs.get(id) ?? null;
  const detail = s.details.get(id) ?? null;
  const [loadErr, setLoadErr] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const [actionErr, setActionErr] = useState<string | null>(null);
  const active = !!job && (job.state === 'running' || job.state === 'queued');
  const now = useNow(active);
  const inspection = useJobInspection(detail);

  useEffect(() => {
    store.loadDetail(id).catch((e) => setLoadErr(toApiError(e).message));
  }, [id]);
  // Refresh the detail once the job ends (result, exports).
  const state = job?.state;
  useEffect(() => {
    if (state === 'done' || state === 'failed' || state === 'cancelled') void store.loadDetail(id).catch(() => {});
  }, [state, id]);

  const stop = async () => {
    if (!job || !active) return;
    setStopping(true);
    try {
      const j = await api().invoke('jobs.cancel', { id });
      store.upsert(j);
      store.changed();
    } catch (e) {
      setActionErr(toApiError(e).message);
    } finally {
      setStopping(false);
    }
  };
  useCommand('stop', active ? () => void stop() : null);

  const resume = async () => {
    setActionErr(null);
    try {
      const j = await api().invoke('jobs.resume', { id });
      store.upsert(j);
      store.changed();
    } catch (e) {
      setActionErr(toApiError(e).message);
    }
  };

  if (!job) {
    return (
      <div className="page">
        {loadErr ? <div className="callout error">Run {id}: {loadErr}</div> : <div className="muted">Loading run…</div>}
      </div>
    );
  }

  const ui = domainUi(job.kind);
  const history = s.history.get(id) ?? [];
  const p = job.progress;
  const el = elapsedMs(job, now);
  const rate = p && el && el > 500 ? (p.evaluations / el) * 1000 : null;
  const log = s.logs.get(id) ?? [];
  const bestSeries = history.filter((h) => h.best !== null).map((h) => [h.evaluations, h.best as number] as const);
  // How far along: evaluations of a budget, or time of a time limit (from the run's options).
  const opts = detail?.options ?? {};
  const budget = typeof opts.budget === 'number' ? opts.budget : null;
  const timeLimit = typeof opts.timeLimit === 'number' ? opts.timeLimit : null;
  const fraction = job.state === 'done' ? 1 : budget ? (p?.evaluations ?? 0) / budget : timeLimit && el !== null ? el / 1000 / timeLimit : null;

  return (
    <div className="page run" data-testid="run-view" data-state={job.state}>
      <header className="page-head">
        <div>
          <div className="row gap small-gap">
            <KindTag kind={job.kind} />
            <StateBadge state={job.state} />
            <span className="muted mono small">{job.id}</span>
          </div>
          <h1>{job.title}</h1>
          {p?.message && (
            <div className="lead" data-testid="progress-message">
              {p.message}
            </div>
          )}
        </div>
        <div className="row gap">
          {active ? (
            <button className="btn danger" onClick={() => void stop()} disabled={stopping} data-testid="stop-run" title={`Stop (Esc or ${modKey}+.)`}>
              <Icon name="stop" /> {stopping ? 'Stopping…' : 'Stop'} <kbd>Esc</kbd>
            </button>
          ) : (
            <>
              {(job.state === 'cancelled' || job.state === 'failed') && (
                <button className="btn" onClick={() => void resume()} data-testid="resume-run" title="Continue from the run's journal">
                  <Icon name="play" /> Resume
                </button>
              )}
              <button className="btn" onClick={() => navigate({ view: 'compare', a: id, b: null })}>
                <Icon name="compare" /> Compare…
              </button>
            </>
          )}
        </div>
      </header>
      {active && fraction !== null && (
        <div className="run-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(Math.min(1, fraction) * 100)} aria-label="Run progress">
          <i style={{ width: `${Math.min(1, Math.max(0, fraction)) * 100}%` }} />
        </div>
      )}
      {active && (p?.evaluations ?? 0) === 0 && (
        <div className="muted small starting">
          <span className="pulse" /> Starting the engine and the first evaluations…
        </div>
      )}
      {actionErr && <div className="callout error">{actionErr}</div>}
      {job.error && (
        <div className="callout error" role="alert" data-testid="job-error">
          <Icon name="alert" /> {job.error}
        </div>
      )}

      {ui?.Live ? (
        <div className="run-meta muted" data-testid="run-meta">
          <span>
            <strong data-testid="evaluations">{num(p?.evaluations ?? 0)}</strong> evaluations{rate ? ` · ${rate.toFixed(rate < 10 ? 1 : 0)}/s` : ''}
          </span>
          <span>
            <Icon name="clock" size={13} /> {duration(el)}
            {job.startedAt ? ` · started ${clock(job.startedAt)}` : ' · queued'}
          </span>
          {p?.best !== undefined && p?.best !== null && (
            <span>
              {p.bestLabel ?? 'best'} <strong data-testid="best">{num(p.best, 6)}</strong>
            </span>
          )}
        </div>
      ) : (
        <div className="stats">
          <Stat label="Evaluations" value={<span data-testid="evaluations">{num(p?.evaluations ?? 0)}</span>} sub={rate ? `${rate.toFixed(rate < 10 ? 1 : 0)} / s` : undefined} />
          <Stat label={p?.bestLabel ?? 'Best'} value={<span data-testid="best">{p?.best !== undefined && p?.best !== null ? num(p.best, 6) : '–'}</span>} />
          <Stat
            label="Feasible"
            value={p?.feasible === undefined ? '–' : p.feasible ? 'yes' : 'not yet'}
            tone={p?.feasible === undefined ? undefined : p.feasible ? 'ok' : 'warn'}
          />
          <Stat label="Elapsed" value={duration(el)} sub={job.startedAt ? `started ${clock(job.startedAt)}` : 'queued'} />
        </div>
      )}

      {ui?.Live ? (
        <ui.Live job={job} detail={detail} history={history} inspection={inspection} />
      ) : (
        <Card title="Best so far" testId="best-chart">
          <Plot series={[{ name: p?.bestLabel ?? 'best', points: bestSeries, mode: 'step' }]} xLabel="evaluations" yLabel={p?.bestLabel ?? 'best'} emptyText="No score reported yet." />
        </Card>
      )}

      <div className="two-col">
        <LogPanel log={log} count={log.length} />
        <ResultPanel id={id} detail={detail} />
      </div>
    </div>
  );
}

/** Memoised on the line count: the log re-renders only when lines arrive. */
const LogPanel = memo(function LogPanel({ log }: { log: readonly LogLine[]; count: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [log.length, follow]);
  return (
    <Card title={`Log (${log.length})`} testId="log-panel">
      <div
        className="log"
        ref={ref}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          setFollow(el.scrollTop + el.clientHeight >= el.scrollHeight - 8);
        }}
      >
        {log.length === 0 && <div className="muted">No log lines yet.</div>}
        {log.slice(-500).map((l, i) => (
          <div key={i} className={`log-line lvl-${l.level}`}>
            <span className="log-t">{clock(l.t)}</span>
            <span className="log-m">{l.message}</span>
          </div>
        ))}
      </div>
    </Card>
  );
});

function ResultPanel({ id, detail }: { id: string; detail: JobDetail | null }) {
  const [err, setErr] = useState<string | null>(null);
  const [showJson, setShowJson] = useState(false);
  const download = async (file: string) => {
    setErr(null);
    try {
      const f = await api().invoke('jobs.export', { id, file });
      downloadText(f.fileName, f.text, f.mime);
    } catch (e) {
      setErr(toApiError(e).message);
    }
  };
  const result = detail?.result;
  const exports = detail?.exports ?? [];
  return (
    <Card title="Result and exports" testId="result-panel">
      {!detail || (result === null || result === undefined) ? (
        <div className="muted">{detail && (detail.state === 'running' || detail.state === 'queued') ? 'The result appears when the run ends.' : 'No result.'}</div>
      ) : (
        <>
          {isObj(result) && <ResultFacts result={result} />}
          <button className="btn ghost small" onClick={() => setShowJson((x) => !x)} aria-expanded={showJson}>
            {showJson ? 'Hide' : 'Show'} result JSON
          </button>
          {showJson && <pre className="json" data-testid="result-json">{JSON.stringify(result, null, 2)}</pre>}
        </>
      )}
      {exports.length > 0 && (
        <div className="exports" data-testid="exports">
          <div className="side-title">Exports</div>
          {exports.map((f) => (
            <button key={f} className="btn small" onClick={() => void download(f)} data-testid="export" data-file={basename(f)} title={f}>
              <Icon name="download" /> {basename(f)}
            </button>
          ))}
        </div>
      )}
      {err && <div className="callout error small">{err}</div>}
    </Card>
  );
}

function ResultFacts({ result }: { result: Record<string, unknown> }) {
  const rows = Object.entries(result).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean');
  return (
    <dl className="facts result-facts" data-testid="result-facts">
      {rows.slice(0, 16).map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{typeof v === 'number' ? num(v, 6) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
