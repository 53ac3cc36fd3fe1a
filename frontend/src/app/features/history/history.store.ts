import { HttpClient, httpResource } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import type { Page, Signal, SignalStats } from '@scanner/contracts';
import { firstValueFrom } from 'rxjs';
import { describeHttpError } from '@app/core/http/describe-http-error';
import { HistoryFilters, toListQuery } from './history-query';

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

  private readonly statsResource = httpResource<SignalStats>(() => {
    const f = this.filtersSignal();
    if (!f) return undefined;
    const params: Record<string, string> = {};
    if (f.timeframe) params['timeframe'] = f.timeframe;
    if (f.direction !== 'ALL') params['direction'] = f.direction;
    return { url: '/api/signals/stats', params };
  });
  readonly stats = computed(() => (this.statsResource.hasValue() ? this.statsResource.value() : null));
  readonly statsError = computed(() => {
    const error = this.statsResource.error();
    return error ? describeHttpError(error, 'the outcome stats') : null;
  });

  /** Starts over with new filters (the first page). */
  setFilters(filters: HistoryFilters): void {
    this.filtersSignal.set(filters);
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
