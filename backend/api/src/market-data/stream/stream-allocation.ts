/** What one connection must change for the wanted set of streams. */
export interface ConnectionPlan {
  connectionId: number;
  subscribe: string[];
  unsubscribe: string[];
}

/** The changes that bring the connections to the wanted streams; `open` are new connections to make. */
export interface AllocationPlan {
  changes: ConnectionPlan[];
  open: Array<{ connectionId: number; streams: string[] }>;
  /** Connections left with no stream: close them. */
  close: number[];
}

/**
 * Which stream lives on which connection. Binance allows at most 1024 streams per connection; a
 * universe change moves as few streams as it can: streams keep their connection, removed ones are
 * unsubscribed where they are, new ones fill the connections that have room before a new one opens.
 * Pure bookkeeping: the caller applies a plan and then calls `commit` with it.
 */
export class StreamAllocation {
  private readonly byConnection = new Map<number, Set<string>>();
  private nextId = 1;

  constructor(readonly maxStreamsPerConnection: number) {
    if (
      !Number.isInteger(maxStreamsPerConnection) ||
      maxStreamsPerConnection < 1 ||
      maxStreamsPerConnection > 1024
    ) {
      throw new Error(
        `streams per connection must be 1–1024 (Binance's limit), got ${maxStreamsPerConnection}`,
      );
    }
  }

  plan(wanted: Iterable<string>): AllocationPlan {
    const want = new Set(wanted);
    const room = new Map<number, number>();
    const changes: ConnectionPlan[] = [];
    const placed = new Set<string>();
    for (const [connectionId, streams] of this.byConnection) {
      const unsubscribe = [...streams].filter((stream) => !want.has(stream));
      for (const stream of streams) if (want.has(stream)) placed.add(stream);
      changes.push({ connectionId, subscribe: [], unsubscribe });
      room.set(connectionId, this.maxStreamsPerConnection - (streams.size - unsubscribe.length));
    }
    const missing = [...want].filter((stream) => !placed.has(stream));
    for (const change of changes) {
      let free = room.get(change.connectionId) ?? 0;
      while (free > 0 && missing.length > 0) {
        change.subscribe.push(missing.shift() as string);
        free--;
      }
    }
    const open: AllocationPlan['open'] = [];
    while (missing.length > 0) {
      open.push({ connectionId: this.nextId++, streams: missing.splice(0, this.maxStreamsPerConnection) });
    }
    const close = changes
      .filter((change) => {
        const size = this.byConnection.get(change.connectionId)?.size ?? 0;
        return size - change.unsubscribe.length + change.subscribe.length === 0;
      })
      .map((change) => change.connectionId);
    return {
      changes: changes.filter(
        (change) =>
          !close.includes(change.connectionId) &&
          (change.subscribe.length > 0 || change.unsubscribe.length > 0),
      ),
      open,
      close,
    };
  }

  /** Records a plan as applied. */
  commit(plan: AllocationPlan): void {
    for (const id of plan.close) this.byConnection.delete(id);
    for (const { connectionId, streams } of plan.open) this.byConnection.set(connectionId, new Set(streams));
    for (const change of plan.changes) {
      const streams = this.byConnection.get(change.connectionId);
      if (streams === undefined) continue;
      for (const stream of change.unsubscribe) streams.delete(stream);
      for (const stream of change.subscribe) streams.add(stream);
    }
  }

  /** A connection was replaced (rotation): its streams now live on a new id. */
  replace(oldId: number): number {
    const streams = this.byConnection.get(oldId) ?? new Set<string>();
    this.byConnection.delete(oldId);
    const id = this.nextId++;
    this.byConnection.set(id, streams);
    return id;
  }

  streamsOf(connectionId: number): string[] {
    return [...(this.byConnection.get(connectionId) ?? [])];
  }

  connections(): number[] {
    return [...this.byConnection.keys()];
  }

  size(): number {
    let total = 0;
    for (const streams of this.byConnection.values()) total += streams.size;
    return total;
  }
}
