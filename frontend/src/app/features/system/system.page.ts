import { HttpErrorResponse, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { JsonPipe, KeyValuePipe } from '@angular/common';
import type { HealthReport } from '@scanner/contracts';
import { freshnessOf, MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { SignalsStore } from '@app/core/signals/signals.store';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';
import { ClockService } from '@app/core/time/clock.service';
import { formatDuration } from '@app/shared/format/age-format';
import { AgePipe } from '@app/shared/format/format.pipes';
import { FreshnessComponent } from '@app/shared/freshness.component';
import { AdminStore } from './admin.store';
import { gapLines } from './candle-gaps';
import { ScoringVersionsComponent } from './scoring-versions.component';

@Component({
  selector: 'app-system-page',
  imports: [JsonPipe, KeyValuePipe, AgePipe, FreshnessComponent, ScoringVersionsComponent],
  providers: [AdminStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './system.page.html',
  styleUrl: './system.page.css',
})
export class SystemPage {
  protected readonly live = inject(SignalsStore);
  protected readonly socket = inject(SignalsSocketService);
  protected readonly market = inject(MarketSymbolsStore);
  protected readonly admin = inject(AdminStore);
  protected readonly clock = inject(ClockService);

  private readonly health = httpResource<HealthReport>(() => '/api/health/ready');
  /** Readiness answers 503 with the same body when something is down: show it either way. */
  protected readonly healthReport = computed<HealthReport | null>(() => {
    if (this.health.hasValue()) return this.health.value();
    const error = this.health.error();
    return error instanceof HttpErrorResponse && error.status === 503 ? (error.error as HealthReport) : null;
  });
  protected readonly healthChecks = computed(() => Object.entries(this.healthReport()?.details ?? {}));
  protected readonly healthError = computed(() => {
    const error = this.health.error();
    return error && !this.healthReport() ? `Readiness check failed: ${error.message}` : null;
  });
  protected readonly symbols = computed(() =>
    [...this.market.symbols()].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)),
  );
  protected readonly timeframes = computed(() => this.market.timeframes());

  constructor() {
    this.market.ensureLoaded();
  }

  protected saveKey(input: HTMLInputElement): void {
    this.admin.key.set(input.value);
    input.value = '';
  }
  protected refreshHealth(): void {
    this.health.reload();
  }
  protected duration(ms: number | null | undefined): string {
    return ms === null || ms === undefined ? '—' : ms < 1000 ? `${ms} ms` : formatDuration(ms);
  }
  protected ageSeconds(s: number | null): string {
    return s === null ? '—' : formatDuration(s * 1000);
  }
  protected readonly freshness = freshnessOf;
  protected readonly gaps = gapLines;
  protected errorCount(errors: number | string[] | undefined): number {
    return Array.isArray(errors) ? errors.length : (errors ?? 0);
  }
  protected queueEntries(counts: Record<string, number>): [string, number][] {
    return Object.entries(counts);
  }
  protected detailText(detail: Record<string, unknown>): string {
    return Object.entries(detail)
      .filter(([k]) => k !== 'status')
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' · ');
  }
}
