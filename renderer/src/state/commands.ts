/**
 * Keyboard shortcuts: Ctrl/Cmd+O open, Ctrl/Cmd+Enter run, Escape or Ctrl/Cmd+. stop.
 * The frame owns "open"; the view on screen registers "run" and "stop" while it is mounted.
 */
import { useEffect, useRef } from 'react';

export type CommandName = 'open' | 'run' | 'stop';
type Handler = () => void;

const stacks: Record<CommandName, Handler[]> = { open: [], run: [], stop: [] };

export function runCommand(name: CommandName): boolean {
  const stack = stacks[name];
  const h = stack[stack.length - 1];
  if (!h) return false;
  h();
  return true;
}

/** Registers `handler` for `name` while the calling component is mounted (latest mount wins). */
export function useCommand(name: CommandName, handler: Handler | null): void {
  const ref = useRef(handler);
  ref.current = handler;
  const enabled = handler !== null;
  useEffect(() => {
    if (!enabled) return;
    const h: Handler = () => ref.current?.();
    stacks[name].push(h);
    return () => {
      const i = stacks[name].lastIndexOf(h);
      if (i >= 0) stacks[name].splice(i, 1);
    };
  }, [name, enabled]);
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const modKey = isMac ? '⌘' : 'Ctrl';

export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent) => {
    const mod = isMac ? e.metaKey : e.ctrlKey;
    if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'o') {
      e.preventDefault();
      runCommand('open');
    } else if (mod && e.key === 'Enter') {
      e.preventDefault();
      runCommand('run');
    } else if ((mod && e.key === '.') || (e.key === 'Escape' && !isEditing(e.target))) {
      if (runCommand('stop')) e.preventDefault();
    }
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}

function isEditing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t instanceof HTMLSelectElement) return false;
  return t.isContentEditable || t instanceof HTMLTextAreaElement || (t instanceof HTMLInputElement && t.type !== 'checkbox' && t.type !== 'radio');
}
