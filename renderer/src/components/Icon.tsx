/** Line icons drawn inline (no icon font, no remote content). */
const PATHS = {
  home: 'M3 11 12 4l9 7M5 10v10h5v-6h4v6h5V10',
  file: 'M6 3h8l5 5v13H6zM14 3v5h5',
  list: 'M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01',
  compare: 'M4 4h7v16H4zM13 4h7v16h-7',
  open: 'M3 7h6l2 2h10v10H3zM3 7V5h6',
  play: 'M7 4.5v15l12-7.5z',
  stop: 'M6 6h12v12H6z',
  sun: 'M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM12 1v3M12 20v3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M1 12h3M20 12h3M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z',
  auto: 'M12 3a9 9 0 1 0 0 18zM12 3a9 9 0 0 1 0 18',
  download: 'M12 4v11M7 10l5 5 5-5M4 20h16',
  chip: 'M7 7h10v10H7zM9 3v4M15 3v4M9 17v4M15 17v4M3 9h4M3 15h4M17 9h4M17 15h4',
  grid: 'M12 3v4M12 7l-6 5M12 7l6 5M6 12v5M18 12v5M6 17l6 4 6-4',
  matrix: 'M4 4h16v16H4zM4 9h16M4 14h16M9 4v16M14 4v16',
  bolt: 'M13 2 4 14h7l-1 8 9-12h-7z',
  alert: 'M12 3 2 20h20zM12 9v5M12 17h.01',
  check: 'M5 12l5 5 9-10',
  x: 'M6 6l12 12M18 6 6 18',
  clock: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={PATHS[name]} />
    </svg>
  );
}

export function domainIcon(kind: string): IconName {
  return kind === 'circuit' ? 'chip' : kind === 'grid' ? 'grid' : kind === 'mip' ? 'matrix' : 'bolt';
}
