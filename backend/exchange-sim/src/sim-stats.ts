import { ONE_MINUTE_MS } from './intervals';

export interface SimStatsSnapshot {
  totalRequests: number;
  /** Requests answered 429 or 418. */
  rejected: number;
  rejected429: number;
  rejected418: number;
  byStatus: Record<string, number>;
  byPath: Record<string, number>;
  bytesSent: number;
  /** Weight charged per calendar minute (weight clock), all clients together, oldest first. */
  weightByMinute: { minute: number; weight: number }[];
  maxWeightInAMinute: number;
  faultsInjected: { errors: number; hangs: number; malformed: number; badRows: number; gaps: number };
}

/** Counters the tests and benchmarks read. */
export class SimStats {
  private data = emptyStats();
  private readonly weights = new Map<number, number>();

  countRequest(path: string): void {
    this.data.totalRequests++;
    this.data.byPath[path] = (this.data.byPath[path] ?? 0) + 1;
  }

  countResponse(status: number, bytes: number): void {
    this.data.byStatus[status] = (this.data.byStatus[status] ?? 0) + 1;
    this.data.bytesSent += bytes;
    if (status === 429) this.data.rejected429++;
    if (status === 418) this.data.rejected418++;
  }

  countWeight(at: number, weight: number): void {
    if (weight <= 0) return;
    const minute = Math.floor(at / ONE_MINUTE_MS) * ONE_MINUTE_MS;
    this.weights.set(minute, (this.weights.get(minute) ?? 0) + weight);
  }

  countFault(kind: keyof SimStatsSnapshot['faultsInjected']): void {
    this.data.faultsInjected[kind]++;
  }

  snapshot(): SimStatsSnapshot {
    const weightByMinute = [...this.weights.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([minute, weight]) => ({ minute, weight }));
    return {
      ...this.data,
      rejected: this.data.rejected429 + this.data.rejected418,
      byStatus: { ...this.data.byStatus },
      byPath: { ...this.data.byPath },
      faultsInjected: { ...this.data.faultsInjected },
      weightByMinute,
      maxWeightInAMinute: weightByMinute.reduce((max, m) => Math.max(max, m.weight), 0),
    };
  }

  reset(): void {
    this.data = emptyStats();
    this.weights.clear();
  }
}

function emptyStats(): Omit<SimStatsSnapshot, 'weightByMinute' | 'maxWeightInAMinute'> {
  return {
    totalRequests: 0,
    rejected: 0,
    rejected429: 0,
    rejected418: 0,
    byStatus: {},
    byPath: {},
    bytesSent: 0,
    faultsInjected: { errors: 0, hangs: 0, malformed: 0, badRows: 0, gaps: 0 },
  };
}
