import { useEffect } from 'react';
import type { JobDetail, JobSummary } from '../../../contract/api.ts';
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
            <Card title="Best so far" testId="compare-chart">
              <Plot series={series} xLabel={xLabel} yLabel={ja?.progress?.bestLabel ?? 'best'} emptyText="No traces recorded for these runs." />
            </Card>
          )}
          <CompareTable a={ja} b={jb} />
        </>
      )}
    </div>
  );
}

interface Row {
  label: string;
  a: string;
  b: string;
}

function rowsOf(job: JobSummary | null, detail: JobDetail | null): Map<string, string> {
  const m = new Map<string, string>();
  if (!job) return m;
  m.set('state', job.state);
  m.set('evaluations', num(job.progress?.evaluations ?? null));
  m.set(job.progress?.bestLabel ?? 'best', num(job.progress?.best ?? null, 6));
  m.set('time', duration(elapsedMs(job)));
  const ui = domainUi(job.kind);
  for (const h of ui?.summarize && detail?.result ? ui.summarize(detail.result) : []) m.set(h.label, h.value);
  for (const [k, v] of Object.entries(detail?.options ?? {})) {
    if (k === 'file' || k === 'exportDir' || m.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') m.set(k, String(v));
  }
  return m;
}

/** One table, the two runs in columns; rows that differ are marked. */
function CompareTable({ a, b }: { a: JobSummary | null; b: JobSummary | null }) {
  const s = useStore();
  const ra = rowsOf(a, a ? s.details.get(a.id) ?? null : null);
  const rb = rowsOf(b, b ? s.details.get(b.id) ?? null : null);
  const labels = [...new Set([...ra.keys(), ...rb.keys()])];
  const rows: Row[] = labels.map((l) => ({ label: l, a: ra.get(l) ?? '–', b: rb.get(l) ?? '–' }));
  return (
    <table className="table compare-table" data-testid="compare-table">
      <thead>
        <tr>
          <th />
          {[a, b].map((j, i) => (
            <th key={i}>
              {j ? (
                <a href={`#/run/${encodeURIComponent(j.id)}`} className="link">
                  <span className={`swatch s${i}`} /> {j.title}
                </a>
              ) : (
                'no run chosen'
              )}
              {j && (
                <div className="row gap small-gap">
                  <KindTag kind={j.kind} /> <StateBadge state={j.state} />
                </div>
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label} data-label={r.label} className={a && b && r.a !== r.b ? 'differs' : undefined}>
            <td className="muted">{r.label}</td>
            <td className="mono" data-side="a">
              {r.a}
            </td>
            <td className="mono" data-side="b">
              {r.b}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
