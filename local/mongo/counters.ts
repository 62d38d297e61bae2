/** Round-trip and write counters readable by tests and benchmarks. All maps are plain objects mutated in place. */
export class Counters {
  /** commands received, by command name (as sent, e.g. "find", "insert", "hello"). */
  readonly commands: Record<string, number> = {};
  /** commands received, by namespace "db.collection" and then by command name. */
  readonly namespaces: Record<string, Record<string, number>> = {};
  /** documents inserted, updated, replaced or deleted in committed storage, by namespace. */
  readonly documentsWritten: Record<string, number> = {};
  /** documents a query tested against its filter, by namespace (an index lookup examines only its hits). */
  readonly documentsExamined: Record<string, number> = {};

  /** `ns` is a list for commands spanning namespaces (bulkWrite): one count on each. */
  recordCommand(name: string, ns: string | readonly string[] | undefined): void {
    this.commands[name] = (this.commands[name] ?? 0) + 1;
    for (const one of typeof ns === 'string' ? [ns] : (ns ?? [])) {
      const perNs = (this.namespaces[one] ??= {});
      perNs[name] = (perNs[name] ?? 0) + 1;
    }
  }

  recordWrite(ns: string, count = 1): void {
    this.documentsWritten[ns] = (this.documentsWritten[ns] ?? 0) + count;
  }

  recordExamined(ns: string, count: number): void {
    if (count) this.documentsExamined[ns] = (this.documentsExamined[ns] ?? 0) + count;
  }

  /** Total commands received for one namespace. */
  commandsOn(ns: string): number {
    return Object.values(this.namespaces[ns] ?? {}).reduce((a, b) => a + b, 0);
  }

  reset(): void {
    for (const map of [this.commands, this.namespaces, this.documentsWritten, this.documentsExamined]) {
      for (const key of Object.keys(map)) delete (map as Record<string, unknown>)[key];
    }
  }
}
