import { useEffect, useMemo, useState } from 'react';
import type { Inspection, ProblemInput } from '../../../contract/api.ts';
import { api, toApiError } from '../api/client.ts';
import { Card, Empty, KindTag } from '../components/common.tsx';
import { Icon } from '../components/Icon.tsx';
import { RunControls, initialValues, toOptions, type OptionValues } from '../components/RunControls.tsx';
import { SourceView } from '../components/SourceView.tsx';
import { domainUi } from '../domains/index.ts';
import { useCommand, modKey } from '../state/commands.ts';
import { navigate } from '../state/router.ts';
import { store, useStore } from '../state/store.ts';

export function ProblemView({ onOpen }: { onOpen: () => void }) {
  const s = useStore();
  const p = s.problem;
  if (!p) {
    return (
      <div className="page">
        <Empty>
          No problem is open. <button className="btn" onClick={onOpen}>Open a file…</button> or pick a bundled example on the home page.
        </Empty>
      </div>
    );
  }
  if (p.status === 'loading') {
    return (
      <div className="page" data-testid="problem-loading">
        <div className="muted">Reading {p.name}…</div>
      </div>
    );
  }
  if (p.status === 'error') {
    const fe = p.error.fileError;
    return (
      <div className="page" data-testid="problem-error">
        <header className="page-head">
          <div>
            <h1>{p.name}</h1>
            <p className="lead">This file could not be opened.</p>
          </div>
          <button className="btn" onClick={onOpen}>
            <Icon name="open" /> Open another file
          </button>
        </header>
        <div className="callout error" role="alert" data-testid="file-error">
          <Icon name="alert" />
          <div>
            {fe ? (
              <>
                <div className="mono">
                  <strong data-testid="file-error-location">
                    {fe.file}
                    {fe.line !== null ? `:${fe.line}` : ''}
                  </strong>
                </div>
                <div data-testid="file-error-message">{fe.message}</div>
              </>
            ) : (
              <div data-testid="file-error-message">{p.error.message}</div>
            )}
          </div>
        </div>
        {p.text !== null ? (
          <Card title={fe?.line ? `${p.name}, line ${fe.line}` : p.name}>
            <SourceView text={p.text} error={fe ?? null} name={p.name} />
          </Card>
        ) : null}
      </div>
    );
  }
  return <InspectionPage key={p.inspection.name + p.inspection.title} input={p.input} inspection={p.inspection} />;
}

function InspectionPage({ input, inspection }: { input: ProblemInput; inspection: Inspection }) {
  const ui = domainUi(inspection.domain);
  const fields = useMemo(() => ui?.options ?? [], [ui]);
  const [values, setValues] = useState<OptionValues>(() => initialValues(fields));
  const [tab, setTab] = useState<'overview' | 'source'>('overview');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setValues(initialValues(fields)), [fields]);

  const start = async () => {
    if (busy) return;
    const o = toOptions(fields, values);
    if ('error' in o) {
      setError(o.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const agent = (o.options.agent ?? o.options.method ?? '') as string;
      const job = await api().invoke('jobs.start', {
        kind: inspection.domain,
        input,
        options: o.options,
        title: `${inspection.title || inspection.name}${agent ? ' · ' + agent : ''}`,
      });
      store.upsert(job);
      store.changed();
      navigate({ view: 'run', id: job.id });
    } catch (e) {
      setError(toApiError(e).message);
      setBusy(false);
    }
  };
  useCommand('run', () => void start());

  return (
    <div className="page problem" data-testid="problem-view">
      <header className="page-head">
        <div>
          <div className="row gap small-gap">
            <KindTag kind={inspection.domain} />
            <span className="muted mono small">{inspection.name}</span>
          </div>
          <h1 data-testid="problem-title">{inspection.title || inspection.name}</h1>
          <div className="chips" data-testid="facts">
            {Object.entries(inspection.facts ?? {}).map(([k, v]) => (
              <span key={k} className="chip">
                <span className="chip-k">{k}</span> <span className="chip-v">{String(v)}</span>
              </span>
            ))}
          </div>
        </div>
      </header>
      <div className="split">
        <div className="split-main">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === 'overview'} className={tab === 'overview' ? 'active' : ''} onClick={() => setTab('overview')}>
              Overview
            </button>
            <button role="tab" aria-selected={tab === 'source'} className={tab === 'source' ? 'active' : ''} onClick={() => setTab('source')}>
              Source
            </button>
          </div>
          {tab === 'overview' ? (
            ui?.Inspect ? (
              <ui.Inspect inspection={inspection} />
            ) : (
              <Card>
                <div className="muted">No diagram for this kind of problem yet; the facts above summarise it.</div>
              </Card>
            )
          ) : (
            <Card>
              <SourceView text={inspection.text ?? ''} name={inspection.name} />
            </Card>
          )}
        </div>
        <aside className="split-side">
          <Card title="Run" testId="run-card">
            {fields.length === 0 ? <div className="muted">This problem kind has no run options.</div> : null}
            <RunControls fields={fields} values={values} onChange={setValues} onStart={() => void start()} busy={busy} error={error} />
            <div className="muted small hint">
              Stop a running job with <kbd>Esc</kbd> or <kbd>{modKey}+.</kbd>
            </div>
          </Card>
        </aside>
      </div>
    </div>
  );
}
