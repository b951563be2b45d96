import type { ReactNode } from 'react';
import type { JobState, JobSummary } from '../../../contract/api.ts';
import { ago, duration, num } from '../format.ts';
import { Icon, domainIcon } from './Icon.tsx';

export function StateBadge({ state }: { state: JobState }) {
  return (
    <span className={`badge state-${state}`} data-testid="job-state">
      {state === 'running' && <span className="pulse" />}
      {state}
    </span>
  );
}

export function KindTag({ kind }: { kind: string }) {
  return (
    <span className={`kind kind-${kind}`}>
      <Icon name={domainIcon(kind)} size={13} /> {kind}
    </span>
  );
}

export function Stat({ label, value, sub, testId, tone }: { label: string; value: ReactNode; sub?: ReactNode; testId?: string; tone?: 'ok' | 'warn' | 'bad' }) {
  return (
    <div className={`stat${tone ? ' tone-' + tone : ''}`} data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {sub !== undefined && <div className="stat-sub">{sub}</div>}
    </div>
  );
}

export function Card({ title, actions, children, className, testId }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card${className ? ' ' + className : ''}`} data-testid={testId}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h3>{title}</h3>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function elapsedMs(j: JobSummary, now = Date.now()): number | null {
  if (!j.startedAt) return null;
  const s = Date.parse(j.startedAt);
  const e = j.endedAt ? Date.parse(j.endedAt) : now;
  return Number.isFinite(s) && Number.isFinite(e) ? Math.max(0, e - s) : null;
}

export function RunRow({ j, onOpen, selectable, selected, onToggle }: { j: JobSummary; onOpen: () => void; selectable?: boolean; selected?: boolean; onToggle?: () => void }) {
  return (
    <tr className="run-row" data-testid="run-row" data-id={j.id} onClick={onOpen} onKeyDown={(e) => e.key === 'Enter' && onOpen()} tabIndex={0}>
      {selectable && (
        <td onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" checked={!!selected} onChange={onToggle} aria-label={`Select ${j.title} for comparison`} />
        </td>
      )}
      <td>
        <StateBadge state={j.state} />
      </td>
      <td>
        <KindTag kind={j.kind} />
      </td>
      <td className="run-title">{j.title}</td>
      <td className="num">{num(j.progress?.evaluations ?? null)}</td>
      <td className="num">{j.progress?.best !== undefined && j.progress?.best !== null ? `${num(j.progress.best, 5)}` : '–'}</td>
      <td className="num">{duration(elapsedMs(j))}</td>
      <td className="muted">{ago(j.createdAt)}</td>
    </tr>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Saves text as a file through a Blob URL (works in the browser and in Electron alike). */
export function downloadText(fileName: string, text: string, mime = 'text/plain'): void {
  const blob = new Blob([text], { type: mime || 'text/plain' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
