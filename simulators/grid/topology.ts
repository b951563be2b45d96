/**
 * Topology of a feeder on a graphology multigraph (parallel branches allowed).
 *
 * Sources are merged into one root node, so "radial and connected" means: the closed branches form a
 * spanning tree of the merged graph (every bus fed by exactly one path from exactly one source).
 *
 * Switch-space encoding: a configuration is any vector of branch priorities; `decode` keeps the
 * lowest-priority spanning tree (Kruskal), i.e. opens branches in decreasing priority as long as
 * they lie on a loop. Every decoded configuration is radial and connected, and every radial
 * configuration is reachable, so agents that work in this space can never output an invalid network.
 * The fundamental loops (one per open branch of a reference tree) give the branch-exchange moves.
 */
import { MultiUndirectedGraph } from 'graphology';
import type { GridCase } from './network.ts';

export interface ConfigCheck {
  radial: boolean;
  connected: boolean;
  /** LLM4DistReconfig counts: closed edges not in the network, independent cycles, extra subgraphs. */
  invalidEdges: number;
  cycles: number;
  subgraphs: number;
}

export class UnionFind {
  p: Int32Array;
  constructor(n: number) {
    this.p = new Int32Array(n);
    this.reset();
  }
  reset(): void {
    for (let i = 0; i < this.p.length; i++) this.p[i] = i;
  }
  find(x: number): number {
    const p = this.p;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.p[ra] = rb;
    return true;
  }
}

export class Topology {
  /** Nodes of the merged graph (sources are node 0). */
  readonly N: number;
  readonly node: Int32Array;
  readonly eu: Int32Array;
  readonly ev: Int32Array;
  /** Branch joining two sources (it can only be open). */
  readonly selfLoop: Uint8Array;
  readonly graph: MultiUndirectedGraph;
  /** All branches closed: is every bus reachable from a source? */
  readonly meshConnected: boolean;
  /** Branches to open for a radial network (cyclomatic number of the meshed network). */
  readonly loops: number;
  /** Branch lies on a loop of the meshed network (can be opened). */
  readonly isSwitch: Uint8Array;
  readonly nSwitches: number;
  private uf: UnionFind;

  constructor(readonly c: GridCase) {
    const n = c.buses.length;
    const node = new Int32Array(n).fill(-1);
    for (const s of c.sources) node[s] = 0;
    let N = 1;
    for (let i = 0; i < n; i++) if (node[i] < 0) node[i] = N++;
    this.N = N;
    this.node = node;
    const m = c.branches.length;
    this.eu = new Int32Array(m);
    this.ev = new Int32Array(m);
    this.selfLoop = new Uint8Array(m);
    const g = new MultiUndirectedGraph();
    for (let k = 0; k < N; k++) g.addNode(String(k));
    c.branches.forEach((b, k) => {
      this.eu[k] = node[b.from];
      this.ev[k] = node[b.to];
      if (this.eu[k] === this.ev[k]) this.selfLoop[k] = 1;
      else g.addEdgeWithKey(String(k), String(this.eu[k]), String(this.ev[k]));
    });
    this.graph = g;
    this.uf = new UnionFind(N);
    // connectivity of the meshed network (graphology traversal)
    const seen = new Set<string>(['0']);
    const stack = ['0'];
    while (stack.length) {
      const u = stack.pop()!;
      g.forEachNeighbor(u, (v) => {
        if (!seen.has(v)) {
          seen.add(v);
          stack.push(v);
        }
      });
    }
    this.meshConnected = seen.size === N;
    const mEff = m - this.selfLoop.reduce((a, b) => a + b, 0);
    this.loops = this.meshConnected ? mEff - N + 1 : Math.max(0, mEff - (N - 1));
    const all = new Uint8Array(m).fill(1);
    for (let k = 0; k < m; k++) if (this.selfLoop[k]) all[k] = 0;
    const br = this.bridges(all);
    this.isSwitch = new Uint8Array(m);
    let ns = 0;
    for (let k = 0; k < m; k++)
      if (!this.selfLoop[k] && !br[k]) {
        this.isSwitch[k] = 1;
        ns++;
      }
    this.nSwitches = ns;
  }

  /** Radiality, connectivity and the LLM4DistReconfig error counts of a configuration. */
  check(closed: Uint8Array): ConfigCheck {
    const uf = this.uf;
    uf.reset();
    let cycles = 0;
    let comps = this.N;
    for (let k = 0; k < closed.length; k++) {
      if (!closed[k]) continue;
      if (this.selfLoop[k]) {
        cycles++;
        continue;
      }
      if (uf.union(this.eu[k], this.ev[k])) comps--;
      else cycles++;
    }
    return { radial: cycles === 0, connected: comps === 1, invalidEdges: 0, cycles, subgraphs: comps - 1 };
  }

  isRadialConnected(closed: Uint8Array): boolean {
    const r = this.check(closed);
    return r.radial && r.connected;
  }

  /**
   * Decodes branch priorities into a radial configuration: Kruskal keeps low-priority branches
   * closed first; a branch that would close a loop stays open. `forceOpen` branches are never closed.
   */
  decode(priority: ArrayLike<number>, forceOpen?: Uint8Array): Uint8Array {
    const m = this.eu.length;
    const idx = Array.from({ length: m }, (_, k) => k).filter((k) => !this.selfLoop[k] && !forceOpen?.[k]);
    idx.sort((a, b) => priority[a] - priority[b] || a - b);
    const closed = new Uint8Array(m);
    const uf = this.uf;
    uf.reset();
    for (const k of idx) if (uf.union(this.eu[k], this.ev[k])) closed[k] = 1;
    return closed;
  }

  /** Bridges of the subgraph of `mask` branches (Tarjan, iterative). */
  bridges(mask: Uint8Array): Uint8Array {
    const N = this.N;
    const m = mask.length;
    const adjStart = new Int32Array(N + 1);
    for (let k = 0; k < m; k++)
      if (mask[k]) {
        adjStart[this.eu[k] + 1]++;
        adjStart[this.ev[k] + 1]++;
      }
    for (let i = 0; i < N; i++) adjStart[i + 1] += adjStart[i];
    const fill = adjStart.slice(0, N);
    const adjE = new Int32Array(adjStart[N]);
    for (let k = 0; k < m; k++)
      if (mask[k]) {
        adjE[fill[this.eu[k]]++] = k;
        adjE[fill[this.ev[k]]++] = k;
      }
    const disc = new Int32Array(N).fill(-1);
    const low = new Int32Array(N);
    const parentE = new Int32Array(N).fill(-1);
    const it = new Int32Array(N);
    const out = new Uint8Array(m);
    let time = 0;
    const stack: number[] = [];
    for (let s = 0; s < N; s++) {
      if (disc[s] >= 0) continue;
      disc[s] = low[s] = time++;
      it[s] = adjStart[s];
      stack.push(s);
      while (stack.length) {
        const u = stack[stack.length - 1];
        if (it[u] < adjStart[u + 1]) {
          const k = adjE[it[u]++];
          if (k === parentE[u]) continue;
          const v = this.eu[k] === u ? this.ev[k] : this.eu[k];
          if (disc[v] < 0) {
            disc[v] = low[v] = time++;
            parentE[v] = k;
            it[v] = adjStart[v];
            stack.push(v);
          } else if (disc[v] < low[u]) low[u] = disc[v];
        } else {
          stack.pop();
          const k = parentE[u];
          if (k >= 0) {
            const p = this.eu[k] === u ? this.ev[k] : this.eu[k];
            if (low[u] < low[p]) low[p] = low[u];
            if (low[u] > disc[p]) out[k] = 1;
          }
        }
      }
    }
    return out;
  }

  /** Path of branches between two merged nodes in a radial configuration (for branch exchange). */
  treePath(closed: Uint8Array, a: number, b: number): number[] {
    const N = this.N;
    const prevE = new Int32Array(N).fill(-2);
    prevE[a] = -1;
    const queue = [a];
    const adj = this.adjacency();
    for (let h = 0; h < queue.length; h++) {
      const u = queue[h];
      if (u === b) break;
      for (const k of adj[u]) {
        if (!closed[k]) continue;
        const v = this.eu[k] === u ? this.ev[k] : this.eu[k];
        if (prevE[v] !== -2) continue;
        prevE[v] = k;
        queue.push(v);
      }
    }
    if (prevE[b] === -2) return [];
    const path: number[] = [];
    let x = b;
    while (x !== a) {
      const k = prevE[x];
      path.push(k);
      x = this.eu[k] === x ? this.ev[k] : this.eu[k];
    }
    return path;
  }

  private adj: number[][] | null = null;
  adjacency(): number[][] {
    if (!this.adj) {
      this.adj = Array.from({ length: this.N }, () => []);
      for (let k = 0; k < this.eu.length; k++)
        if (!this.selfLoop[k]) {
          this.adj[this.eu[k]].push(k);
          this.adj[this.ev[k]].push(k);
        }
    }
    return this.adj;
  }

  /**
   * Fundamental loops with respect to a radial configuration: for each open branch (not a
   * source-to-source tie), the branches of the loop it closes (itself first).
   */
  fundamentalLoops(closed: Uint8Array): number[][] {
    const loops: number[][] = [];
    for (let k = 0; k < closed.length; k++) {
      if (closed[k] || this.selfLoop[k]) continue;
      const p = this.treePath(closed, this.eu[k], this.ev[k]);
      if (p.length) loops.push([k, ...p]);
    }
    return loops;
  }

  /** Hop depth and a tidy horizontal position per bus for a tree drawing of a configuration. */
  layout(closed: Uint8Array): { depth: Int32Array; position: Float64Array } {
    const c = this.c;
    const n = c.buses.length;
    const adj: number[][] = Array.from({ length: n }, () => []);
    c.branches.forEach((b, k) => {
      if (closed[k]) {
        adj[b.from].push(b.to);
        adj[b.to].push(b.from);
      }
    });
    const depth = new Int32Array(n).fill(-1);
    const parent = new Int32Array(n).fill(-1);
    const order: number[] = [];
    for (const s of c.sources) {
      depth[s] = 0;
      order.push(s);
    }
    for (let h = 0; h < order.length; h++) {
      const u = order[h];
      for (const v of adj[u])
        if (depth[v] < 0) {
          depth[v] = depth[u] + 1;
          parent[v] = u;
          order.push(v);
        }
    }
    // unreachable buses hang at depth 0 after the tree
    for (let i = 0; i < n; i++)
      if (depth[i] < 0) {
        depth[i] = 0;
        order.push(i);
      }
    const children: number[][] = Array.from({ length: n }, () => []);
    for (const u of order) if (parent[u] >= 0) children[parent[u]].push(u);
    const position = new Float64Array(n);
    let slot = 0;
    const place = (u: number): void => {
      if (children[u].length === 0) {
        position[u] = slot++;
        return;
      }
      for (const v of children[u]) place(v);
      const ch = children[u];
      position[u] = (position[ch[0]] + position[ch[ch.length - 1]]) / 2;
    };
    for (const u of order) if (parent[u] < 0) place(u);
    return { depth, position };
  }
}
