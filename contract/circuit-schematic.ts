/**
 * The circuit schematic payload the UI draws (from simulators/circuit/schematic.ts describeNetlist).
 * Types only; stable: extend, never rename.
 */
export type SchematicDeviceType = 'nmos' | 'pmos' | 'npn' | 'pnp' | 'r' | 'c' | 'l' | 'v' | 'i' | 'd' | 'x' | 'other';

export interface SchematicDevice {
  /** Instance name as in the netlist (lower-case), e.g. `m1a`. */
  name: string;
  type: SchematicDeviceType;
  /** Connected nets in the device's pin order (MOS: d g s b; BJT: c b e [s]; two-terminals: + -). */
  nodes: string[];
  /** Instance parameters as written (`w: "W1"`, `l: "Len1"`, `value: "291k"`). */
  params: Record<string, string>;
  /** Design variables this device's parameters depend on (names as in the problem). */
  variables: string[];
  /** Model or subcircuit name, when the device has one. */
  model?: string;
}

export interface CircuitSchematic {
  devices: SchematicDevice[];
  /** Every net (lower-case), ground included. */
  nets: string[];
  /** The ground net's name (`0`). */
  ground: string;
}
