/** Light / dark / follow-the-system theme, remembered across sessions. */
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'optiloop.theme';

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function initTheme(): void {
  apply(read());
}

export function isDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

export function useTheme(): [ThemeChoice, () => void] {
  const [choice, setChoice] = useState<ThemeChoice>(read);
  useEffect(() => {
    apply(choice);
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      /* storage may be unavailable */
    }
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const on = () => apply(choice);
    mq.addEventListener('change', on);
    window.dispatchEvent(new Event('optiloop-theme'));
    return () => mq.removeEventListener('change', on);
  }, [choice]);
  const cycle = useCallback(() => setChoice((c) => (c === 'system' ? 'light' : c === 'light' ? 'dark' : 'system')), []);
  return [choice, cycle];
}
