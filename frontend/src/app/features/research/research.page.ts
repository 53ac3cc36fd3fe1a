import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Replay } from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { ClockService } from '@app/core/time/clock.service';
import { AdminKeyGateComponent } from '@app/shared/admin/admin-key-gate.component';
import { newestCandleTime } from './replay-form';
import { defaultDraft, REPLAY_TIMEFRAMES, replayRequestOf, type ReplayDraft } from './replay-form';
import { ReplayResultComponent } from './replay-result.component';
import { isLive, progressPercent, progressText } from './replay-view';
import { ResearchStore } from './research.store';

/**
 * Research workbench (issue 18), behind the admin key: start an A/B replay of stored candles through
 * two scoring versions, watch it (socket progress, cancel), list past ones, read a finished one side by side.
 */
@Component({
  selector: 'app-research-page',
  imports: [AdminKeyGateComponent, ReplayResultComponent, RouterLink],
  providers: [ResearchStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './research.page.html',
  styleUrls: ['../../shared/admin/admin-page.css', './research.page.css'],
})
export class ResearchPage {
  protected readonly store = inject(ResearchStore);
  protected readonly market = inject(MarketSymbolsStore);
  private readonly clock = inject(ClockService);

  protected readonly timeframes = REPLAY_TIMEFRAMES;
  protected readonly draft = signal<ReplayDraft | null>(null);
  protected readonly problems = signal<string[]>([]);
  protected readonly percent = progressPercent;
  protected readonly progressText = progressText;
  protected readonly isLive = isLive;
  /** Two versions are needed to compare: with fewer the form says where to make one. */
  protected readonly tooFewVersions = computed(() => this.store.versions().length < 2);

  constructor() {
    this.market.ensureLoaded();
    // The form is filled once the universe and the versions are known (kept as typed afterwards).
    effect(() => {
      if (this.draft() !== null || this.store.versions().length === 0 || !this.market.loaded()) return;
      this.draft.set(
        defaultDraft(
          this.market.symbols().map((s) => s.symbol),
          this.store.versions(),
          newestCandleTime(this.market.symbols()) ?? this.clock.now(),
        ),
      );
    });
  }

  protected patch(change: Partial<ReplayDraft>): void {
    const draft = this.draft();
    if (draft !== null) this.draft.set({ ...draft, ...change });
  }

  protected toggleTimeframe(timeframe: string, on: boolean): void {
    const draft = this.draft();
    if (draft === null) return;
    const set = new Set(draft.timeframes);
    if (on) set.add(timeframe);
    else set.delete(timeframe);
    this.patch({ timeframes: REPLAY_TIMEFRAMES.filter((t) => set.has(t)) });
  }

  protected numberOf(value: string): number | null {
    return value.trim() === '' ? null : Number(value);
  }

  protected versionOf(value: string): number | null {
    return value === '' ? null : Number(value);
  }

  protected async start(): Promise<void> {
    const draft = this.draft();
    if (draft === null) return;
    const { request, problems } = replayRequestOf(draft);
    this.problems.set(problems);
    if (request !== null) await this.store.start(request);
  }

  protected async cancel(replay: Replay): Promise<void> {
    if (!isLive(replay.status) && !confirm(`Delete replay ${replay.id} and its result?`)) return;
    await this.store.cancel(replay);
  }

  protected summary(replay: Replay): string {
    const r = replay.request;
    const symbols = r.symbols.length <= 3 ? r.symbols.join(', ') : `${r.symbols.length} symbols`;
    return `v${r.versionA} vs v${r.versionB} · ${symbols} · ${r.timeframes.join(', ')} · ${r.from.slice(0, 16).replace('T', ' ')} → ${r.to.slice(0, 16).replace('T', ' ')}`;
  }
}
