import type { Domain, Inspection, JobDetail, JobSummary } from '../../../contract/api.ts';
import type { ProgressPoint } from '../state/store.ts';
import type { JSX } from 'react';

export interface OptionField {
  /** Key in the job's options object. */
  key: string;
  label: string;
  type: 'select' | 'number';
  choices?: { value: string; label: string }[];
  default?: number | string;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  help?: string;
  /** Leave out of the request when empty (the job's own default applies). */
  optional?: boolean;
}

export interface LiveProps {
  job: JobSummary;
  detail: JobDetail | null;
  history: readonly ProgressPoint[];
  inspection: Inspection | null;
}

export interface CompareSideProps {
  job: JobSummary;
  detail: JobDetail | null;
  history: readonly ProgressPoint[];
}

/** Everything the frame needs to know about one workbench's UI. */
export interface DomainUi {
  domain: Domain;
  label: string;
  /** Run controls: agent, budget or time limit, seed, workers. */
  options: OptionField[];
  Inspect?: (p: { inspection: Inspection }) => JSX.Element;
  /** Live view of a run (charts, diagram), also shown after the run ends. */
  Live?: (p: LiveProps) => JSX.Element;
  /** Headline numbers of a finished result, for compare. */
  summarize?: (result: unknown) => { label: string; value: string }[];
}
