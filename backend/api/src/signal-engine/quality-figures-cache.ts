import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ClosedSignalFilter } from './closed-signals';
import { SignalChangeNotices, type SignalChangeKind } from './signal-change-notices';

/** Other processes' changes are looked for (one cheap query) at most this often. */
export const CHANGE_MARKER_CHECK_MS = 1_000;
/** Distinct filters kept (a `since` can take any value); the oldest goes first. */
export const MAX_CACHED_FIGURES = 256;

/**
 * What moves when the closed-signal figures or the active count can: the newest event that created or
 * closed a signal (updates of an active one change neither), and the oldest close (a retention purge
 * deletes closes with their events, which leaves the newest event as it was). Both are index reads.
 */
const CHANGE_MARKER_SQL = `
  SELECT (SELECT seq FROM signal_events WHERE type <> 'updated' ORDER BY seq DESC LIMIT 1)::text AS seq,
         (SELECT min(closed_at) FROM signals WHERE closed_at IS NOT NULL)::text AS oldest`;

const affectsFigures = (kinds: ReadonlySet<SignalChangeKind>): boolean =>
  [...kinds].some((kind) => kind !== 'updated');

/** The cache key of one endpoint's answer for a filter. */
export function figuresKey(figure: string, filter: ClosedSignalFilter): string {
  return JSON.stringify([
    figure,
    filter.timeframe ?? null,
    filter.direction ?? null,
    filter.since?.getTime() ?? null,
    filter.origin ?? 'all',
    filter.scoringVersion ?? null,
  ]);
}

interface Entry {
  generation: number;
  value: Promise<unknown>;
}

/**
 * The answers of the closed-signal figures (stats, calibration, ablation) per filter, kept until a
 * signal is created or closed (or closes are purged): by this process (SignalChangeNotices, at once)
 * or by another one (a change marker read at most once a second, so at most that late). An answer is
 * computed once for concurrent identical requests; one whose computation began before a change is not
 * served after it.
 */
@Injectable()
export class QualityFiguresCache implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private marker: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    notices: SignalChangeNotices,
  ) {
    this.unsubscribe = notices.subscribe((kinds) => {
      if (affectsFigures(kinds)) this.invalidate();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** The cached answer of `figure` for `filter`, else `compute()`'s (then cached). */
  async get<T>(figure: string, filter: ClosedSignalFilter, compute: () => Promise<T>): Promise<T> {
    await this.checkMarker();
    const key = figuresKey(figure, filter);
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.generation === this.generation) return hit.value as Promise<T>;
    const value = compute();
    const entry: Entry = { generation: this.generation, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > MAX_CACHED_FIGURES)
      this.entries.delete(this.entries.keys().next().value as string);
    // A failure is not kept: the next request computes again.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  private invalidate(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** Reads the change marker unless it was read less than CHANGE_MARKER_CHECK_MS ago (one read at a time). */
  private checkMarker(): Promise<void> {
    if (this.checking !== null) return this.checking;
    if (Date.now() - this.checkedAt < CHANGE_MARKER_CHECK_MS) return Promise.resolve();
    const checking = this.readMarker().finally(() => {
      this.checking = null;
    });
    this.checking = checking;
    return checking;
  }

  private async readMarker(): Promise<void> {
    const startedAt = Date.now();
    const rows: { seq: string | null; oldest: string | null }[] =
      await this.dataSource.query(CHANGE_MARKER_SQL);
    const marker = `${rows[0]?.seq ?? ''}|${rows[0]?.oldest ?? ''}`;
    this.checkedAt = startedAt;
    // Read before any answer it lets through is computed: a change after the read moves the next one.
    if (marker !== this.marker) {
      this.marker = marker;
      this.invalidate();
    }
  }
}
