import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { FileError } from '../../../contract/api.ts';

const WINDOW = 300;

/**
 * A read-only text view with line numbers. With `error`, the offending line is highlighted,
 * scrolled into view, and the message is shown right under it.
 */
export function SourceView({ text, error, name }: { text: string; error?: FileError | null; name?: string }) {
  const lines = useMemo(() => text.split(/\r?\n/), [text]);
  const errLine = error?.line ?? null;
  const [showAll, setShowAll] = useState(lines.length <= WINDOW * 2);
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'center' });
  }, [errLine, text]);

  let from = 0;
  let to = lines.length;
  if (!showAll) {
    const centre = errLine ? errLine - 1 : 0;
    from = Math.max(0, centre - WINDOW);
    to = Math.min(lines.length, from + WINDOW * 2);
  }
  return (
    <div className="source" data-testid="source-view" aria-label={name ? `Text of ${name}` : 'File text'}>
      {from > 0 && (
        <button className="btn ghost small source-more" onClick={() => setShowAll(true)}>
          Show lines 1–{from}
        </button>
      )}
      <table>
        <tbody>
          {lines.slice(from, to).map((l, i) => {
            const n = from + i + 1;
            const bad = n === errLine;
            return (
              <Fragment key={n}>
                <tr ref={bad ? ref : undefined} className={bad ? 'bad-line' : undefined} data-testid={bad ? 'error-line' : undefined}>
                  <td className="ln">{n}</td>
                  <td className="code">{l || ' '}</td>
                </tr>
                {bad && error && (
                  <tr className="bad-msg">
                    <td className="ln" />
                    <td>
                      <span className="err-arrow">▲</span> {error.message}
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      {to < lines.length && (
        <button className="btn ghost small source-more" onClick={() => setShowAll(true)}>
          Show lines {to + 1}–{lines.length}
        </button>
      )}
    </div>
  );
}
