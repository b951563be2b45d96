/** How a workbench adds its verbs to `npx optiloop <domain> <verb>`. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** True when stdout is a terminal: show a progress bar instead of plain lines. */
  readonly tty: boolean;
}

export interface CliVerb {
  summary: string;
  /** Full help text shown by `optiloop <domain> <verb> --help`. */
  usage: string;
  /** Runs the verb; returns the process exit code (0 on a finished run, feasible or not). */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface DomainCli {
  name: string;
  summary: string;
  verbs: Record<string, CliVerb>;
}
