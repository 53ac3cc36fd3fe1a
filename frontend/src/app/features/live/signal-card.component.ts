import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Signal } from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { ClockService } from '@app/core/time/clock.service';
import { formatDuration } from '@app/shared/format/age-format';
import { AgePipe, PricePipe, RMultiplePipe, SignedPercentPipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';
import { percentDistance } from '@app/shared/format/percent-format';
import { ConfidenceMeterComponent } from '@app/shared/signal/confidence-meter.component';
import { ConfluenceComponent } from '@app/shared/signal/confluence.component';
import { DirectionBadgeComponent } from '@app/shared/signal/direction-badge.component';
import { PTargetComponent } from '@app/shared/signal/p-target.component';

/**
 * One signal on the live grid. Its only input is the signal object, which the store replaces only when
 * that signal changes, so an update re-renders this card and no other.
 */
@Component({
  selector: 'app-signal-card',
  imports: [
    RouterLink,
    PricePipe,
    SignedPercentPipe,
    AgePipe,
    RMultiplePipe,
    ConfidenceMeterComponent,
    ConfluenceComponent,
    DirectionBadgeComponent,
    PTargetComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class]': 'hostClass()',
    '[attr.data-id]': 'signal().id',
    '[attr.data-version]': 'signal().version',
    'data-testid': 'signal-card',
    '(animationend)': 'animationDone($event)',
  },
  template: `
    @let s = signal();
    <article
      [attr.aria-label]="s.direction + ' ' + s.symbol + ' ' + s.timeframe + ', confidence ' + s.confidence"
    >
      <header>
        <app-direction-badge [direction]="s.direction" />
        <a class="symbol" [routerLink]="['/signals', s.id]" data-testid="card-symbol">{{ s.symbol }}</a>
        <span class="tf" [attr.aria-label]="'timeframe ' + s.timeframe">{{ s.timeframe }}</span>
        <span class="age" [title]="'Created ' + s.createdAt + ' (market time)'">{{
          s.createdAt | age: clock.marketNow()
        }}</span>
      </header>
      <dl class="levels">
        <div>
          <dt>Entry</dt>
          <dd class="price" data-testid="entry">{{ s.entryPrice | price: decimals() }}</dd>
        </div>
        <div>
          <dt>
            Stop <small class="stop" [title]="distanceTitle">{{ toStop() | signedPercent }}</small>
          </dt>
          <dd class="price" data-testid="stop">{{ s.stopLoss | price: decimals() }}</dd>
        </div>
        <div>
          <dt>
            Target <small class="target" [title]="distanceTitle">{{ toTarget() | signedPercent }}</small>
          </dt>
          <dd class="price" data-testid="target">{{ s.takeProfit | price: decimals() }}</dd>
        </div>
        <div>
          <dt>R:R</dt>
          <dd>{{ s.riskReward.toFixed(2) }}</dd>
        </div>
      </dl>
      <!-- A closed card (fading out) shows its outcome instead of the live price, which no longer matters: the card's fixed height holds it. -->
      @if (closed()) {
        <p class="outcome" role="status" data-testid="card-outcome">
          {{ statusLabel() }} ·
          <span [title]="'gross ' + (s.outcomeR | rMultiple)">{{ s.netR | rMultiple }} net</span>
          @if (s.exitPrice !== null) {
            · exit <span class="price">{{ s.exitPrice | price: decimals() }}</span>
          }
          · lasted {{ lasted() }}
        </p>
      } @else {
        <p class="live" [title]="distanceTitle">
          @if (livePrice(); as price) {
            Last price
            <span class="price" data-testid="last-price">{{ price | price: decimals() }}</span><span
              class="muted"
            >
              · 24h ticker</span
            >
          } @else {
            <span class="muted">No live price yet</span>
          }
        </p>
      }
      @if (hasConfluence()) {
        <p class="confluence"><app-confluence [confluence]="s.confluence" /></p>
      }
      <div class="scores">
        <app-confidence-meter [confidence]="s.confidence" [conditions]="s.conditions" />
        <app-p-target [signal]="s" />
      </div>
    </article>
  `,
  styleUrl: './signal-card.component.css',
})
export class SignalCardComponent {
  readonly signal = input.required<Signal>();
  protected readonly clock = inject(ClockService);
  private readonly market = inject(MarketSymbolsStore);

  protected readonly distanceTitle =
    'Distance from the last traded price (the open candle close, from the 24h ticker refreshed every 30 s)';
  protected readonly decimals = computed(() =>
    this.market.decimals(this.signal().symbol, this.signal().entryPrice),
  );
  protected readonly livePrice = computed(() => this.market.symbol(this.signal().symbol)?.lastPrice ?? null);
  protected readonly toStop = computed(() => percentDistance(this.livePrice(), this.signal().stopLoss));
  protected readonly toTarget = computed(() => percentDistance(this.livePrice(), this.signal().takeProfit));
  protected readonly closed = computed(() => this.signal().status !== 'ACTIVE');
  /**
   * Other scanned timeframes to show (none for a replay, or with one timeframe scanned); a closed card
   * gives their line up to its outcome, which may take two lines in a narrow card.
   */
  protected readonly hasConfluence = computed(
    () => !this.closed() && (this.signal().confluence?.others.length ?? 0) > 0,
  );
  protected readonly statusLabel = computed(() => STATUS_LABELS[this.signal().status]);
  protected readonly lasted = computed(() => {
    const s = this.signal();
    return s.closedAt ? formatDuration(Date.parse(s.closedAt) - Date.parse(s.createdAt)) : '—';
  });

  /**
   * The version first rendered; later versions flash (two alternating classes restart the animation).
   * The class is dropped when the animation ends, so moving the card in the grid does not replay it.
   */
  private readonly firstVersion = computed(() => untracked(() => this.signal().version));
  private readonly settledVersion = signal<number | null>(null);
  private readonly entered = signal(false);
  protected readonly hostClass = computed(() => {
    const s = this.signal();
    const classes = [s.direction === 'LONG' ? 'long' : 'short'];
    if (!this.entered()) classes.push('entering');
    if (s.status !== 'ACTIVE')
      classes.push('closing', s.status === 'TP_HIT' ? 'win' : s.status === 'SL_HIT' ? 'loss' : 'neutral');
    else if (s.version !== this.firstVersion() && s.version !== this.settledVersion())
      classes.push(s.version % 2 === 0 ? 'flash-a' : 'flash-b');
    return classes.join(' ');
  });

  protected animationDone(event: AnimationEvent): void {
    if (event.target !== event.currentTarget) return;
    if (event.animationName.includes('card-enter')) this.entered.set(true);
    else if (event.animationName.includes('flash')) this.settledVersion.set(this.signal().version);
  }
}
