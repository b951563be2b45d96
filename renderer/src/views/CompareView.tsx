import { useEffect } from 'react';
import type { JobSummary } from '../../../contract/api.ts';
import { Card, Empty, KindTag, StateBadge, elapsedMs } from '../components/common.tsx';
import { Plot, type Series } from '../components/Plot.tsx';
import { domainUi } from '../domains/index.ts';
import { duration, isNum, isObj, num } from '../format.ts';
import { navigate } from '../state/router.ts';
import { store, useStore, type ProgressPoint } from '../state/store.ts';

/** Best-so-far trace of a run: the live history, else a trace the engine kept in progress data or the result. */
export function bestTrace(job: JobSummary, history: readonly ProgressPoint[], result: unknown): [number, number][] {
  const live = history.filter((h) => h.best !== null).map((h) => [h.evaluations, h.best as number] as [number, number]);
  if (live.length > 1) return live;
  const data = job.progress?.data;
  if (isObj(data) && Array.isArray(data.trace)) {
    const t = (data.trace as unknown[]).filter((x): x is [number, number] => Array.isArray(x) && isNum(x[0]) && isNum(x[1]));
    if (t.length) return t;
  }
  if (isObj(result) && Array.isArray(result.trace)) {
    const t = (result.trace as unknown[]).filter((x): x is [number, number] => Array.isArray(x) && isNum(x[0]) && isNum(x[1]));
    if (t.length) return t;
  }
  return live;
}

export function CompareView({ a, b }: { a: string | null; b: string | null }) {
  const s = useStore();
  useEffect(() => {
    void store.refreshJobs();
  }, []);
  useEffect(() => {
    for (const id of [a, b]) if (id) void store.loadDetail(id).catch(() => {});
  }, [a, b]);
  const jobs = [...s.jobs.values()].sort((x, y) => y.createdAt.localeCompare(x.createdAt));
  const ja = a ? s.jobs.get(a) ?? null : null;
  const jb = b ? s.jobs.get(b) ?? null : null;
  const sameKind = ja && jb && ja.kind === jb.kind;

  const series: Series[] = [];
  for (const [j, color] of [
    [ja, 'var(--c1)'],
    [jb, 'var(--c2)'],
  ] as const) {
    if (!j) continue;
    const pts = bestTrace(j, s.history.get(j.id) ?? [], s.details.get(j.id)?.result);
    series.push({ name: j.title, points: pts, mode: 'step', color });
  }
  const xLabel = ja?.kind === 'mip' ? 'seconds' : 'evaluations';

  const picker = (value: string | null, other: string | null, side: 'a' | 'b') => (
    <select
      className="input"
      value={value ?? ''}
      aria-label={`Run ${side.toUpperCase()}`}
      onChange={(e) => navigate({ view: 'compare', a: side === 'a' ? e.target.value || null : other, b: side === 'b' ? e.target.value || null : other })}
    >
      <option value="">Choose a run…</option>
      {jobs.map((j) => (
        <option key={j.id} value={j.id}>
          {j.title} · {j.state} · {new Date(j.createdAt).toLocaleString()}
        </option>
      ))}
    </select>
  );

  return (
    <div className="page" data-testid="compare-view">
      <header className="page-head">
        <div>
          <h1>Compare runs</h1>
          <p className="lead">Two runs side by side, e.g. DDPG against random search on the same problem.</p>
        </div>
      </header>
      <div className="compare-pickers">
        {picker(a, b, 'a')}
        <span className="muted">vs</span>
        {picker(b, a, 'b')}
      </div>
      {ja && jb && !sameKind && <div className="callout warn">These runs are of different kinds; only their headline numbers compare.</div>}
      {!ja && !jb ? (
        <Empty>Choose two runs above, or tick two runs in the Runs list.</Empty>
      ) : (
        <>
          {sameKind && (
            <Card title="Best so far">
              <Plot series={series} xLabel={xLabel} yLabel={ja?.progress?.bestLabel ?? 'best'} emptyText="No traces recorded for these runs." />
            </Card>
          )}
          <div className="two-col">
            {[ja, jb].map((j, i) => (j ? <CompareSide key={j.id} job={j} /> : <Empty key={i}>No run chosen.</Empty>))}
          </div>
        </>
      )}
    </div>
  );
}

function CompareSide({ job }: { job: JobSummary }) {
  const s = useStore();
  const detail = s.details.get(job.id) ?? null;
  const ui = domainUi(job.kind);
  const result = detail?.result;
  const headline = ui?.summarize && result ? ui.summarize(result) : [];
  return (
    <Card
      title={
        <a href={`#/run/${encodeURIComponent(job.id)}`} className="link">
          {job.title}
        </a>
      }
      actions={
        <>
          <KindTag kind={job.kind} /> <StateBadge state={job.state} />
        </>
      }
      testId="compare-side"
    >
      <dl className="facts result-facts">
        <div className="fact">
          <dt>evaluations</dt>
          <dd>{num(job.progress?.evaluations ?? null)}</dd>
        </div>
        <div className="fact">
          <dt>{job.progress?.bestLabel ?? 'best'}</dt>
          <dd>{num(job.progress?.best ?? null, 6)}</dd>
        </div>
        <div className="fact">
          <dt>time</dt>
          <dd>{duration(elapsedMs(job))}</dd>
        </div>
        {Object.entries(detail?.options ?? {})
          .filter(([k, v]) => k !== 'file' && k !== 'exportDir' && (typeof v === 'string' || typeof v === 'number'))
          .map(([k, v]) => (
            <div className="fact" key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        {headline.map((h) => (
          <div className="fact" key={h.label}>
            <dt>{h.label}</dt>
            <dd>{h.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
