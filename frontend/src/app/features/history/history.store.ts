import { HttpClient, httpResource } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type {
  CalibrationReport,
  ConditionAblationReport,
  Page,
  Signal,
  SignalStats,
} from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { HistoryFilters, toListQuery, toQualityQuery } from './history-query';

export const PAGE_SIZE = 50;

/** Closed signals page by page (cursor) for the current filters, and the outcome stats. */
@Injectable()
export class HistoryStore {
  private readonly http = inject(HttpClient);
  private readonly filtersSignal = signal<HistoryFilters | null>(null);
  private readonly itemsSignal = signal<readonly Signal[]>([]);
  private readonly cursorSignal = signal<string | null>(null);
  private readonly loadingSignal = signal(false);
  private readonly errorSignal = signal<string | null>(null);
  private readonly loadedOnce = signal(false);
  private generation = 0;

  readonly items = this.itemsSignal.asReadonly();
  readonly loading = this.loadingSignal.asReadonly();
  readonly error = this.errorSignal.asReadonly();
  readonly loaded = this.loadedOnce.asReadonly();
  readonly hasMore = computed(() => this.cursorSignal() !== null);

  private readonly qualityQuery = computed(
    () => {
      const f = this.filtersSignal();
      return f ? toQualityQuery(f) : null;
    },
    { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) },
  );
  private readonly statsResource = httpResource<SignalStats>(() => {
    const params = this.qualityQuery();
    return params ? { url: '/api/signals/stats', params } : undefined;
  });
  private readonly calibrationResource = httpResource<CalibrationReport>(() => {
    const params = this.qualityQuery();
    return params ? { url: '/api/signals/calibration', params } : undefined;
  });
  private readonly ablationResource = httpResource<ConditionAblationReport>(() => {
    const params = this.qualityQuery();
    return params ? { url: '/api/signals/ablation', params } : undefined;
  });
  readonly stats = computed(() => (this.statsResource.hasValue() ? this.statsResource.value() : null));
  readonly statsError = computed(() => {
    const error = this.statsResource.error();
    return error ? describeHttpError(error, 'the outcome stats') : null;
  });
  readonly calibration = computed(() =>
    this.calibrationResource.hasValue() ? this.calibrationResource.value() : null,
  );
  readonly calibrationError = computed(() => {
    const error = this.calibrationResource.error();
    return error ? describeHttpError(error, 'the calibration report') : null;
  });
  readonly ablation = computed(() =>
    this.ablationResource.hasValue() ? this.ablationResource.value() : null,
  );
  readonly ablationError = computed(() => {
    const error = this.ablationResource.error();
    return error ? describeHttpError(error, 'the condition ablation') : null;
  });

  /** Starts over with new filters (the first page). */
  setFilters(filters: HistoryFilters): void {
    const previous = this.filtersSignal();
    this.filtersSignal.set(filters);
    // Same figures asked for again (a signal closed): refresh them in place, without a loading state.
    if (previous && JSON.stringify(toQualityQuery(previous)) === JSON.stringify(toQualityQuery(filters))) {
      this.statsResource.reload();
      this.calibrationResource.reload();
      this.ablationResource.reload();
    }
    this.itemsSignal.set([]);
    this.cursorSignal.set(null);
    this.loadedOnce.set(false);
    void this.load(null);
  }

  loadMore(): void {
    const cursor = this.cursorSignal();
    if (cursor && !this.loadingSignal()) void this.load(cursor);
  }

  private async load(cursor: string | null): Promise<void> {
    const filters = this.filtersSignal();
    if (!filters) return;
    const generation = ++this.generation;
    this.loadingSignal.set(true);
    try {
      const page = await firstValueFrom(
        this.http.get<Page<Signal>>('/api/signals', { params: toListQuery(filters, PAGE_SIZE, cursor) }),
      );
      if (generation !== this.generation) return; // filters changed meanwhile
      const seen = new Set(this.itemsSignal().map((s) => s.id));
      this.itemsSignal.update((items) => [...items, ...page.items.filter((s) => !seen.has(s.id))]);
      this.cursorSignal.set(page.nextCursor);
      this.errorSignal.set(null);
    } catch (error) {
      if (generation === this.generation)
        this.errorSignal.set(describeHttpError(error, 'the signal history'));
    } finally {
      if (generation === this.generation) {
        this.loadingSignal.set(false);
        this.loadedOnce.set(true);
      }
    }
  }
}
