/**
 * ngspice raw files (binary, as `write file.raw` produces them) into typed vectors.
 */

export type VectorKind = 'voltage' | 'current' | 'time' | 'frequency' | 'voltage-density' | 'current-density' | 'notype' | string;

export interface RealVector {
  name: string;
  kind: VectorKind;
  re: Float64Array;
  im: null;
}

export interface ComplexVector {
  name: string;
  kind: VectorKind;
  re: Float64Array;
  im: Float64Array;
}

export type Vector = RealVector | ComplexVector;

export interface Plot {
  title: string;
  plotname: string;
  complex: boolean;
  points: number;
  /** Vectors by lower-case name; the first one is the scale (time, frequency, ...). */
  vectors: Map<string, Vector>;
  scale: Vector;
}

/** SI unit of a vector kind (for display). */
export function unitOf(kind: VectorKind): string {
  switch (kind) {
    case 'voltage':
      return 'V';
    case 'current':
      return 'A';
    case 'time':
      return 's';
    case 'frequency':
      return 'Hz';
    case 'voltage-density':
      return 'V/sqrt(Hz)';
    case 'current-density':
      return 'A/sqrt(Hz)';
    default:
      return '';
  }
}

/** Parses a binary (or ascii) raw file holding one plot. Throws on a malformed file. */
export function parseRaw(bytes: Uint8Array): Plot {
  // The header is ASCII up to "Binary:\n" or "Values:\n": decode only that much (decoding the
  // binary data as text cost 5 ms on an 8001-point sweep).
  const dec = new TextDecoder('latin1');
  let end = 4096;
  let probe = dec.decode(bytes.subarray(0, Math.min(bytes.length, end)));
  let i = probe.search(/^(Binary|Values):\n/m);
  while (i < 0 && end < bytes.length) {
    end *= 4;
    probe = dec.decode(bytes.subarray(0, Math.min(bytes.length, end)));
    i = probe.search(/^(Binary|Values):\n/m);
  }
  if (i < 0) throw new Error('raw file has no Binary:/Values: section');
  const binary = probe.startsWith('Binary', i);
  const headerEnd = i + 'Binary:\n'.length;
  if (!binary) probe = dec.decode(bytes);
  const header = probe.slice(0, headerEnd);
  const field = (name: string): string => {
    const m = new RegExp(`^${name}:\\s*(.*)$`, 'mi').exec(header);
    return m ? m[1].trim() : '';
  };
  const title = field('Title');
  const plotname = field('Plotname');
  const complex = /complex/i.test(field('Flags'));
  const nvars = Number(field('No. Variables'));
  const points = Number(field('No. Points'));
  if (!Number.isInteger(nvars) || !Number.isInteger(points) || nvars < 1) throw new Error('raw file header is incomplete');
  const varSection = header.slice(header.indexOf('Variables:') + 'Variables:'.length).split('\n');
  const names: { name: string; kind: string }[] = [];
  for (const line of varSection) {
    const parts = line.trim().split(/\s+/);
    if (parts.length >= 3 && /^\d+$/.test(parts[0])) names.push({ name: parts[1].toLowerCase(), kind: parts[2] });
    if (names.length === nvars) break;
  }
  if (names.length !== nvars) throw new Error('raw file variable list is incomplete');
  const re = names.map(() => new Float64Array(points));
  const im = names.map(() => (complex ? new Float64Array(points) : null));
  if (binary) {
    const per = complex ? 2 : 1;
    const need = points * nvars * per * 8;
    if (bytes.length - headerEnd < need) throw new Error(`raw file is truncated (${bytes.length - headerEnd} of ${need} data bytes)`);
    // point-major doubles (re, im per vector when complex): read in place when 8-byte aligned
    const at = bytes.byteOffset + headerEnd;
    const data = at % 8 === 0 ? new Float64Array(bytes.buffer, at, need / 8) : new Float64Array(bytes.buffer.slice(at, at + need));
    const stride = nvars * per;
    for (let v = 0; v < nvars; v++) {
      const r = re[v];
      const m = im[v];
      let k = v * per;
      if (m) {
        for (let p = 0; p < points; p++, k += stride) {
          r[p] = data[k];
          m[p] = data[k + 1];
        }
      } else {
        for (let p = 0; p < points; p++, k += stride) r[p] = data[k];
      }
    }
  } else {
    const body = dec.decode(bytes.subarray(headerEnd)).split(/\s+/).filter(Boolean);
    let k = 0;
    for (let p = 0; p < points; p++) {
      k++; // point index
      for (let v = 0; v < nvars; v++) {
        const tok = body[k++] ?? '';
        if (complex) {
          const [a, b] = tok.split(',');
          re[v][p] = Number(a);
          (im[v] as Float64Array)[p] = Number(b);
        } else re[v][p] = Number(tok);
      }
    }
  }
  const vectors = new Map<string, Vector>();
  names.forEach((n, v) => {
    const vec: Vector = complex ? { name: n.name, kind: n.kind, re: re[v], im: im[v] as Float64Array } : { name: n.name, kind: n.kind, re: re[v], im: null };
    vectors.set(n.name, vec);
  });
  return { title, plotname, complex, points, vectors, scale: vectors.get(names[0].name) as Vector };
}
