import { useEffect, useState } from 'react';
import type { AppInfo, Example } from '../../../contract/api.ts';
import { api, toApiError } from '../api/client.ts';
import { Card, Empty, RunRow } from '../components/common.tsx';
import { Icon, domainIcon } from '../components/Icon.tsx';
import { modKey } from '../state/commands.ts';
import { openExample } from '../state/open.ts';
import { navigate } from '../state/router.ts';
import { store, useStore } from '../state/store.ts';

const DOMAIN_TEXT: Record<string, { name: string; blurb: string }> = {
  circuit: { name: 'Circuit sizing', blurb: 'Size transistors against SPICE specs with DDPG, CMA-ES or random search.' },
  grid: { name: 'Grid reconfiguration', blurb: 'Choose open switches of a feeder for minimum loss, radial and within voltage limits.' },
  mip: { name: 'MIP search', blurb: 'Bandit-driven large-neighbourhood search (Balans) over HiGHS.' },
};

export function HomeView({ info, onOpen }: { info: AppInfo | null; onOpen: () => void }) {
  const s = useStore();
  const [examples, setExamples] = useState<Example[] | null>(null);
  const [exErr, setExErr] = useState<string | null>(null);
  const [demoErr, setDemoErr] = useState<string | null>(null);
  const [demoBudget, setDemoBudget] = useState('2000');
  const [demoDelay, setDemoDelay] = useState('5');

  useEffect(() => {
    api()
      .invoke('examples.list', {})
      .then(setExamples)
      .catch((e) => setExErr(toApiError(e).message));
    void store.refreshJobs();
  }, []);

  const recent = [...s.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 6);
  const byDomain = new Map<string, Example[]>();
  for (const ex of examples ?? []) byDomain.set(ex.domain, [...(byDomain.get(ex.domain) ?? []), ex]);

  const runDemo = async () => {
    setDemoErr(null);
    try {
      const budget = Math.round(Number(demoBudget));
      const delayMs = Math.round(Number(demoDelay));
      if (!(budget >= 1) || !(delayMs >= 0)) throw new Error('Evaluations must be at least 1 and the delay at least 0 ms.');
      const job = await api().invoke('jobs.start', { kind: 'demo', options: { budget, delayMs }, title: `Demo job (${budget} evaluations)` });
      store.upsert(job);
      navigate({ view: 'run', id: job.id });
    } catch (e) {
      setDemoErr(toApiError(e).message);
    }
  };

  const order = ['circuit', 'grid', 'mip'];
  const domainsSorted = [...byDomain.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));

  return (
    <div className="page home" data-testid="home-view">
      <header className="page-head">
        <div>
          <h1>Welcome to Optiloop</h1>
          <p className="lead">Learning agents optimise your designs against embedded simulators. Open a problem, watch the search, export the result.</p>
        </div>
      </header>

      <button className="dropzone" onClick={onOpen} data-testid="open-dropzone">
        <Icon name="open" size={30} />
        <div className="dz-text">
          <div className="dz-title">Open a problem file</div>
          <div className="dz-sub">
            Click, press <kbd>{modKey}+O</kbd>, or drop a file anywhere in the window.
          </div>
        </div>
        <div className="dz-types">
          circuit problem (.yaml, .json) or annotated netlist
          <br />
          MATPOWER case (.m) · MPS / LP model
        </div>
      </button>

      <h2 className="section-title">Bundled examples</h2>
      {exErr && <div className="callout error">Examples could not be listed: {exErr}</div>}
      {examples && examples.length === 0 && <Empty>No bundled examples were found.</Empty>}
      {!examples && !exErr && <div className="muted">Loading examples…</div>}
      <div className="domains">
        {domainsSorted.map(([domain, list]) => (
          <section key={domain} className="domain-col" data-testid={`examples-${domain}`}>
            <div className="domain-head">
              <Icon name={domainIcon(domain)} size={20} />
              <div>
                <div className="domain-name">{DOMAIN_TEXT[domain]?.name ?? domain}</div>
                <div className="muted small">{DOMAIN_TEXT[domain]?.blurb}</div>
              </div>
            </div>
            <ul className="examples">
              {list.map((ex) => (
                <li key={ex.id}>
                  <button className="example" onClick={() => void openExample(ex)} data-testid="example" data-id={ex.id}>
                    <div className="ex-title">{ex.title}</div>
                    <div className="ex-desc">{ex.description}</div>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>

      <div className="home-bottom">
        <div className="stack">
          <h2 className="section-title">
            Recent runs{' '}
            <a className="link small" href="#/runs">
              all runs →
            </a>
          </h2>
          {recent.length === 0 ? (
            <Empty>
              No runs yet. Open an example and press <kbd>{modKey}+Enter</kbd> to start one.
            </Empty>
          ) : (
            <table className="table runs-table" data-testid="recent-runs">
              <thead>
                <tr>
                  <th>State</th>
                  <th>Kind</th>
                  <th>Title</th>
                  <th className="num">Evaluations</th>
                  <th className="num">Best</th>
                  <th className="num">Time</th>
                  <th>Started</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((j) => (
                  <RunRow key={j.id} j={j} onOpen={() => navigate({ view: 'run', id: j.id })} />
                ))}
              </tbody>
            </table>
          )}
        </div>
        <Card title="This engine" className="engine-card" testId="engine-card">
          {info ? (
            <>
              <div className="muted small">
                {info.shell} shell · {info.cores} cores · learning backend <strong>{info.learningBackend ?? '–'}</strong>
              </div>
              <div className="engine-chips">
                {info.engines.map((e) => {
                  const missing = /not installed|missing|error|fail/i.test(e.status);
                  return (
                    <span key={e.name} className={`engine-chip${missing ? ' off' : ''}`} title={`${e.name}: ${e.status}`}>
                      <span className="dot" />
                      {e.name}
                      {e.version !== '-' && <span className="muted"> {e.version}</span>}
                    </span>
                  );
                })}
              </div>
              <div className="muted small wrap" title="Runs folder">
                Runs: <span className="mono">{info.runsDir}</span>
              </div>
            </>
          ) : (
            <div className="muted">Engine information unavailable.</div>
          )}
          <div className="demo-row">
            <div className="muted small">Demo job: an evolution strategy on Rosenbrock's function that checks the runner end to end.</div>
            <div className="row gap">
              <label className="field inline">
                <span className="field-label">Evaluations</span>
                <input className="input" type="number" min={1} value={demoBudget} onChange={(e) => setDemoBudget(e.target.value)} data-testid="demo-budget" />
              </label>
              <label className="field inline">
                <span className="field-label">Delay (ms)</span>
                <input className="input" type="number" min={0} value={demoDelay} onChange={(e) => setDemoDelay(e.target.value)} data-testid="demo-delay" />
              </label>
              <button className="btn" onClick={() => void runDemo()} data-testid="run-demo">
                <Icon name="play" /> Run demo
              </button>
            </div>
          </div>
          {demoErr && <div className="callout error small">{demoErr}</div>}
        </Card>
      </div>
    </div>
  );
}
