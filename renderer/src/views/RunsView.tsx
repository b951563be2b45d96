import { useEffect, useState } from 'react';
import { Empty, RunRow } from '../components/common.tsx';
import { Icon } from '../components/Icon.tsx';
import { navigate } from '../state/router.ts';
import { store, useStore } from '../state/store.ts';

export function RunsView() {
  const s = useStore();
  const [sel, setSel] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    void store.refreshJobs();
  }, []);
  const jobs = [...s.jobs.values()]
    .filter((j) => !filter || `${j.title} ${j.kind} ${j.state}`.toLowerCase().includes(filter.toLowerCase()))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const toggle = (id: string) => setSel((old) => (old.includes(id) ? old.filter((x) => x !== id) : [...old.slice(-1), id]));
  return (
    <div className="page" data-testid="runs-view">
      <header className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="lead">Every job this engine ran or is running. Tick two runs to compare them side by side.</p>
        </div>
        <div className="row gap">
          <input className="input" placeholder="Filter…" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Filter runs" />
          <button className="btn" disabled={sel.length !== 2} onClick={() => navigate({ view: 'compare', a: sel[0], b: sel[1] })} data-testid="compare-selected">
            <Icon name="compare" /> Compare {sel.length}/2
          </button>
        </div>
      </header>
      {jobs.length === 0 ? (
        <Empty>No runs yet.</Empty>
      ) : (
        <table className="table runs-table">
          <thead>
            <tr>
              <th aria-label="Select" />
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
            {jobs.map((j) => (
              <RunRow key={j.id} j={j} selectable selected={sel.includes(j.id)} onToggle={() => toggle(j.id)} onOpen={() => navigate({ view: 'run', id: j.id })} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
