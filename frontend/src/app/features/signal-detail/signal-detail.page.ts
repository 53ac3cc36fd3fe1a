import { ChangeDetectionStrategy, Component, computed, effect, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { ClockService } from '@app/core/time/clock.service';
import { AgePipe, PricePipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';
import { ConditionBreakdownComponent } from '@app/shared/signal/condition-breakdown.component';
import { DirectionBadgeComponent } from '@app/shared/signal/direction-badge.component';
import { PTargetComponent } from '@app/shared/signal/p-target.component';
import { ConfluencePanelComponent } from './confluence-panel.component';
import { EventHistoryComponent } from './event-history.component';
import { OutcomePanelComponent } from './outcome-panel.component';
import { SignalChartComponent } from './signal-chart.component';
import { SignalDetailStore } from './signal-detail.store';

@Component({
  selector: 'app-signal-detail-page',
  imports: [
    RouterLink,
    PricePipe,
    AgePipe,
    DirectionBadgeComponent,
    PTargetComponent,
    ConditionBreakdownComponent,
    SignalChartComponent,
    EventHistoryComponent,
    OutcomePanelComponent,
    ConfluencePanelComponent,
  ],
  providers: [SignalDetailStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './signal-detail.page.html',
  styleUrl: './signal-detail.page.css',
})
export class SignalDetailPage {
  /** Route parameter `:id`. */
  readonly id = input.required<string>();
  protected readonly store = inject(SignalDetailStore);
  protected readonly clock = inject(ClockService);
  private readonly market = inject(MarketSymbolsStore);

  protected readonly signal = computed(() => this.store.detail()?.signal ?? null);
  protected readonly decimals = computed(() => {
    const s = this.signal();
    return s ? this.market.decimals(s.symbol, s.entryPrice) : 2;
  });
  protected readonly statusLabel = computed(() => {
    const s = this.signal();
    return s ? STATUS_LABELS[s.status] : '';
  });

  protected readonly originTitle = computed(() =>
    this.signal()?.origin === 'replay'
      ? 'Re-created while the scanner warmed up on stored history (counted apart from live signals)'
      : 'Created from a candle that closed while the scanner was running',
  );

  constructor() {
    this.market.ensureLoaded();
    effect(() => this.store.id.set(this.id()));
  }
}
