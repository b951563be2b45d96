import { useState } from 'react';
import type { OptionField } from '../domains/types.ts';
import { modKey } from '../state/commands.ts';
import { Icon } from './Icon.tsx';

export type OptionValues = Record<string, string>;

export function initialValues(fields: OptionField[]): OptionValues {
  const v: OptionValues = {};
  for (const f of fields) v[f.key] = f.default !== undefined ? String(f.default) : '';
  return v;
}

/** Turns the form's strings into the job's options; returns an error message for a bad field. */
export function toOptions(fields: OptionField[], values: OptionValues): { options: Record<string, unknown> } | { error: string } {
  const options: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (values[f.key] ?? '').trim();
    if (raw === '') {
      if (f.optional) continue;
      return { error: `${f.label} is required.` };
    }
    if (f.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { error: `${f.label} must be a number.` };
      if (f.min !== undefined && n < f.min) return { error: `${f.label} must be at least ${f.min}.` };
      if (f.max !== undefined && n > f.max) return { error: `${f.label} must be at most ${f.max}.` };
      if ((f.step ?? 1) >= 1 && !Number.isInteger(n)) return { error: `${f.label} must be a whole number.` };
      options[f.key] = n;
    } else options[f.key] = raw;
  }
  return { options };
}

export function RunControls({
  fields,
  values,
  onChange,
  onStart,
  busy,
  error,
}: {
  fields: OptionField[];
  values: OptionValues;
  onChange: (v: OptionValues) => void;
  onStart: () => void;
  busy: boolean;
  error: string | null;
}) {
  const [advanced] = useState(true);
  return (
    <form
      className="run-controls"
      data-testid="run-controls"
      onSubmit={(e) => {
        e.preventDefault();
        onStart();
      }}
    >
      {fields.map((f) => (
        <label key={f.key} className="field" hidden={!advanced && f.key === 'workers'}>
          <span className="field-label">
            {f.label}
            {f.unit && <span className="muted"> ({f.unit})</span>}
          </span>
          {f.type === 'select' ? (
            <select className="input" value={values[f.key] ?? ''} onChange={(e) => onChange({ ...values, [f.key]: e.target.value })} name={f.key}>
              {f.optional && <option value="">default</option>}
              {f.choices?.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              className="input"
              type="number"
              name={f.key}
              inputMode="numeric"
              min={f.min}
              max={f.max}
              step={f.step ?? 1}
              placeholder={f.optional ? 'default' : undefined}
              value={values[f.key] ?? ''}
              onChange={(e) => onChange({ ...values, [f.key]: e.target.value })}
            />
          )}
          {f.help && <span className="field-help">{f.help}</span>}
        </label>
      ))}
      {error && (
        <div className="callout error small" role="alert">
          {error}
        </div>
      )}
      <button type="submit" className="btn primary wide" disabled={busy} data-testid="start-run">
        <Icon name="play" /> {busy ? 'Starting…' : 'Start run'} <kbd>{modKey}+Enter</kbd>
      </button>
    </form>
  );
}
