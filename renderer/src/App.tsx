import { useEffect, useRef, useState } from 'react';
import type { AppInfo } from '../../contract/api.ts';
import { api, onConnectionState, type ConnectionState } from './api/client.ts';
import { installShortcuts, modKey, useCommand } from './state/commands.ts';
import { openFiles } from './state/open.ts';
import { href, navigate, useRoute, type Route } from './state/router.ts';
import { store, useStore } from './state/store.ts';
import { HomeView } from './views/HomeView.tsx';
import { RunsView } from './views/RunsView.tsx';
import { ProblemView } from './views/ProblemView.tsx';
import { RunView } from './views/RunView.tsx';
import { CompareView } from './views/CompareView.tsx';
import { Icon } from './components/Icon.tsx';
import { useTheme } from './theme.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';

export function App() {
  const route = useRoute();
  const s = useStore();
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [conn, setConn] = useState<ConnectionState>('connecting');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [theme, cycleTheme] = useTheme();

  useEffect(() => {
    store.start();
    const off = installShortcuts();
    const offConn = onConnectionState(setConn);
    api()
      .invoke('app.info', {})
      .then(setInfo)
      .catch(() => setInfo(null));
    return () => {
      off();
      offConn();
    };
  }, []);

  useCommand('open', () => fileInput.current?.click());

  // Drag and drop anywhere in the window.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length > 0) void openFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  const running = [...s.jobs.values()].filter((j) => j.state === 'running' || j.state === 'queued');
  const problemName = s.problem ? (s.problem.status === 'ok' ? s.problem.inspection.title || s.problem.inspection.name : s.problem.name) : null;

  const nav: { r: Route; label: string; icon: Parameters<typeof Icon>[0]['name']; show: boolean }[] = [
    { r: { view: 'home' }, label: 'Home', icon: 'home', show: true },
    { r: { view: 'problem' }, label: problemName ?? 'Problem', icon: 'file', show: !!s.problem },
    { r: { view: 'runs' }, label: 'Runs', icon: 'list', show: true },
    { r: { view: 'compare', a: null, b: null }, label: 'Compare', icon: 'compare', show: true },
  ];

  return (
    <div className="app">
      <aside className="sidebar" aria-label="Navigation">
        <div className="brand">
          <Logo />
          <div>
            <div className="brand-name">Optiloop</div>
            <div className="brand-sub">{info ? `v${info.version} · ${info.shell}` : 'workbench'}</div>
          </div>
        </div>
        <button className="btn primary wide" onClick={() => fileInput.current?.click()} title={`Open a problem file (${modKey}+O)`}>
          <Icon name="open" /> Open file…
          <kbd>{modKey}+O</kbd>
        </button>
        <nav>
          {nav
            .filter((n) => n.show)
            .map((n) => (
              <a key={n.r.view} href={href(n.r)} className={`nav-item${route.view === n.r.view || (n.r.view === 'runs' && route.view === 'run') ? ' active' : ''}`} aria-current={route.view === n.r.view ? 'page' : undefined}>
                <Icon name={n.icon} />
                <span className="nav-label">{n.label}</span>
              </a>
            ))}
        </nav>
        {running.length > 0 && (
          <div className="side-section">
            <div className="side-title">Running</div>
            {running.slice(0, 6).map((j) => (
              <a key={j.id} href={href({ view: 'run', id: j.id })} className="side-run">
                <span className="pulse" />
                <span className="side-run-title">{j.title}</span>
                <span className="side-run-n">{j.progress?.evaluations ?? 0}</span>
              </a>
            ))}
          </div>
        )}
        <div className="side-foot">
          <span className={`conn conn-${conn}`} title={conn === 'open' ? 'Connected to the engine' : conn === 'lost' ? 'Engine connection lost' : 'Connecting to the engine…'}>
            <span className="dot" /> {conn === 'open' ? 'engine' : conn === 'lost' ? 'offline' : 'connecting'}
          </span>
          <button className="btn ghost small" onClick={cycleTheme} aria-label={`Theme: ${theme}`} title={`Theme: ${theme} (click to change)`} data-testid="theme-toggle">
            <Icon name={theme === 'dark' ? 'moon' : theme === 'light' ? 'sun' : 'auto'} /> {theme}
          </button>
        </div>
      </aside>
      <main className="content" id="main">
        <ErrorBoundary key={route.view + ('id' in route ? route.id : '')}>
          {route.view === 'home' && <HomeView info={info} onOpen={() => fileInput.current?.click()} />}
          {route.view === 'runs' && <RunsView />}
          {route.view === 'problem' && <ProblemView onOpen={() => fileInput.current?.click()} />}
          {route.view === 'run' && <RunView id={route.id} />}
          {route.view === 'compare' && <CompareView a={route.a} b={route.b} />}
        </ErrorBoundary>
      </main>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        aria-label="Open a problem file (with the files it includes)"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) void openFiles(files);
        }}
      />
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          <div className="drop-card">
            <Icon name="open" size={36} />
            <div>Drop a netlist, MATPOWER case or MPS/LP file (a problem file together with the files it includes)</div>
          </div>
        </div>
      )}
    </div>
  );
}

function Logo() {
  return (
    <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden className="logo">
      <circle cx="16" cy="16" r="11" fill="none" stroke="currentColor" strokeWidth="3" strokeDasharray="52 18" strokeLinecap="round" />
      <path d="M22.5 4.5 L27.8 8.2 L21.7 10.6 Z" fill="currentColor" />
      <circle cx="16" cy="16" r="3.2" fill="var(--accent-2)" />
    </svg>
  );
}

export { navigate };
