import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { SignalsStore } from '@app/core/signals/signals.store';
import { ClockService } from '@app/core/time/clock.service';
import { formatDuration } from '@app/shared/format/age-format';

/** Scans run every minute and streamed candles close at least every minute: past two minutes, the data is stale. */
export const STALE_AFTER_MS = 120_000;

/**
 * Where the data comes from and how fresh it is, from the scanner status: "streaming · last candle
 * 12 s ago, evaluated 0.04 s after close", "stream down, polling · last scan 40 s ago"; amber when stale.
 */
@Component({
  selector: 'app-freshness',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span
    class="fresh"
    [class.stale]="stale()"
    role="status"
    [attr.aria-label]="label()"
    data-testid="freshness"
    >{{ text() }}</span
  >`,
  styles: `
    .fresh {
      font-size: 0.85rem;
      color: var(--muted);
      white-space: nowrap;
    }
    .stale {
      color: var(--warn);
      font-weight: 600;
    }
  `,
})
export class FreshnessComponent {
  private readonly store = inject(SignalsStore);
  private readonly clock = inject(ClockService);

  /** Streaming: the newest of scan and streamed candle; polling: the REST scans alone. */
  private readonly ageMs = computed(() => {
    const status = this.store.scannerStatus();
    const streamingNow =
      status?.marketData?.state === 'streaming' || status?.marketData?.state === 'degraded';
    const times = [status?.lastScanAt, streamingNow ? status?.marketData?.lastEvaluatedAt : null]
      .filter((time): time is string => typeof time === 'string')
      .map((time) => Date.parse(time));
    return times.length > 0 ? this.clock.serverNow() - Math.max(...times) : null;
  });
  protected readonly stale = computed(() => {
    const status = this.store.scannerStatus();
    const age = this.ageMs();
    return status !== null && (age === null || age > STALE_AFTER_MS || status.state === 'error');
  });
  protected readonly text = computed(() => {
    const status = this.store.scannerStatus();
    if (!status) return 'no scanner status yet';
    if (status.paused) return 'scanner paused';
    const market = status.marketData;
    const streamingNow = market?.state === 'streaming' || market?.state === 'degraded';
    const age = this.ageMs();
    const ago = age === null ? null : `${formatDuration(age)}${age >= 1000 ? ' ago' : ''}`;
    let base: string;
    if (streamingNow) {
      const lag = market.lastEvaluationLagMs;
      base = `${market.state === 'streaming' ? 'streaming' : 'streaming (some streams down)'}${
        ago === null ? '' : ` · last candle ${ago}`
      }${lag === null ? '' : `, evaluated ${formatLag(lag)} after close`}`;
    } else {
      const prefix = market?.source === 'stream' ? 'stream down, polling · ' : '';
      base = `${prefix}${ago === null ? 'no scan yet' : `last scan ${ago}`}`;
    }
    return status.exchangeBackoff ? `${base} · exchange backoff` : base;
  });
  protected readonly label = computed(
    () => `Data freshness: ${this.text()}${this.stale() ? ' (stale)' : ''}`,
  );
}

/** A sub-second lag needs its decimals: "0.04 s", "1.3 s", "12 s". */
export function formatLag(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `${seconds < 1 ? seconds.toFixed(2) : seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}
