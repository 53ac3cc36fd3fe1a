import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { SignalsStore } from '@app/core/signals/signals.store';
import { ClockService } from '@app/core/time/clock.service';
import { formatDuration } from '@app/shared/format/age-format';

/** Scans run every minute: past two minutes without one, the data is stale. */
export const STALE_AFTER_MS = 120_000;

/** "last scan 12 s ago" from the scanner status, amber when stale. */
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

  private readonly ageMs = computed(() => {
    const last = this.store.scannerStatus()?.lastScanAt;
    return last ? this.clock.serverNow() - Date.parse(last) : null;
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
    const age = this.ageMs();
    const base =
      age === null ? 'no scan yet' : `last scan ${formatDuration(age)}${age >= 1000 ? ' ago' : ''}`;
    return status.exchangeBackoff ? `${base} · exchange backoff` : base;
  });
  protected readonly label = computed(
    () => `Data freshness: ${this.text()}${this.stale() ? ' (stale)' : ''}`,
  );
}
