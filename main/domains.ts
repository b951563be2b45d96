/**
 * The workbenches the engine knows. Each domain folder (main/<domain>/) provides a DomainService;
 * every shell (Electron IPC, web server, CLI) reaches the domain only through this table.
 */
import type { Domain, Example, Inspection } from '../contract/api.ts';

/** Where the files a problem includes are found: its folder (input by path, a bundled example)
 *  and/or companion files sent with it (input by text; name relative to the main file -> text). */
export interface InspectContext {
  dir?: string;
  files?: Record<string, string>;
}

export interface DomainService {
  readonly domain: Domain;
  /** Lower-case file name endings this domain opens, e.g. ['.m'] or ['.mps', '.lp']. */
  readonly extensions: readonly string[];
  /** Bundled examples from resources/<domain>/ (paths absolute). */
  examples(): Example[];
  /**
   * Parses a user's file; throws InputError (simulators/errors.ts) naming file and line. `where`
   * tells where files it includes come from (domains without includes ignore it).
   */
  inspect(name: string, text: string, where?: InspectContext): Inspection | Promise<Inspection>;
  /** URL of the job module (default export: JobModule) loaded inside the job host worker. */
  readonly jobModule: URL;
}

const services: DomainService[] = [];

export function registerDomain(s: DomainService): void {
  if (!services.some((x) => x.domain === s.domain)) services.push(s);
}

export function domains(): readonly DomainService[] {
  return services;
}

export function domainOf(domain: Domain): DomainService | undefined {
  return services.find((s) => s.domain === domain);
}

/** The domain that opens a file of this name, by its ending. */
export function domainForFile(name: string): DomainService | undefined {
  const lower = name.toLowerCase();
  return services.find((s) => s.extensions.some((ext) => lower.endsWith(ext)));
}
