/**
 * A dependency graph built by a parser while it reads a lockfile: nodes are package instances, edges point from a
 * dependent to what it resolves each dependency to. Breadth-first search from the project's direct dependencies gives
 * each reachable node one shortest dependency path.
 */
export class DependencyGraph {
  private readonly labels = new Map<string, string>();
  private readonly edges = new Map<string, string[]>();

  /** Declares a node with its `name@version` label. */
  node(id: string, label: string): void {
    this.labels.set(id, label);
  }

  /** Declares that `from` depends on `to`. */
  edge(from: string, to: string): void {
    const list = this.edges.get(from);
    if (list) list.push(to);
    else this.edges.set(from, [to]);
  }

  /** Shortest paths (as labels, direct dependency first) from the given direct-dependency nodes to every reachable node. */
  pathsFrom(directIds: Iterable<string>): Map<string, string[]> {
    const parent = new Map<string, string | null>();
    const queue: string[] = [];
    for (const id of directIds) {
      if (!parent.has(id) && this.labels.has(id)) {
        parent.set(id, null);
        queue.push(id);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as string;
      for (const next of this.edges.get(id) ?? []) {
        if (!parent.has(next) && this.labels.has(next)) {
          parent.set(next, id);
          queue.push(next);
        }
      }
    }
    const paths = new Map<string, string[]>();
    for (const id of queue) {
      const up = parent.get(id);
      const prefix = up ? (paths.get(up) ?? []) : [];
      paths.set(id, [...prefix, this.labels.get(id) ?? id]);
    }
    return paths;
  }
}
