import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { SIGNAL_SORTS } from '@scanner/contracts';
import { DirectionFilter, LiveFilters, STATUS_FILTERS, StatusFilter } from './live-filters';

/** Filter and sort controls; every change is reported up and ends in the URL query. */
@Component({
  selector: 'app-filters-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let f = filters();
    <form class="filters" role="search" aria-label="Filter signals" (submit)="$event.preventDefault()">
      <fieldset class="segmented">
        <legend class="sr-only">Direction</legend>
        @for (d of directions; track d) {
          <button
            type="button"
            [attr.aria-pressed]="f.direction === d"
            [class.on]="f.direction === d"
            (click)="emit({ direction: d })"
            [attr.data-testid]="'direction-' + d"
          >
            {{ d }}
          </button>
        }
      </fieldset>
      <label
        >Timeframe
        <select
          [value]="f.timeframe ?? ''"
          (change)="emit({ timeframe: value($event) || null })"
          data-testid="timeframe"
        >
          <option value="">All</option>
          @for (tf of timeframes(); track tf) {
            <option [value]="tf" [selected]="tf === f.timeframe">{{ tf }}</option>
          }
        </select>
      </label>
      <label class="slider"
        >Min confidence <output>{{ f.minConfidence }}</output>
        <input
          type="range"
          min="0"
          max="100"
          step="5"
          [value]="f.minConfidence"
          data-testid="min-confidence"
          (input)="emit({ minConfidence: +value($event) })"
          aria-label="Minimum confidence"
        />
      </label>
      @if (showStatus()) {
        <label
          >Status
          <select (change)="emit({ status: $any(value($event)) })" data-testid="status">
            @for (s of statuses; track s) {
              <option [value]="s" [selected]="s === f.status">{{ statusLabel(s) }}</option>
            }
          </select>
        </label>
      }
      <label
        >Symbol
        <input
          type="search"
          placeholder="BTC…"
          [value]="f.symbol"
          (input)="emit({ symbol: value($event).toUpperCase() })"
          autocomplete="off"
          spellcheck="false"
          data-testid="symbol-search"
          aria-label="Search symbol"
        />
      </label>
      <label
        >Sort
        <select (change)="emit({ sort: $any(value($event)) })" data-testid="sort">
          @for (s of sorts; track s) {
            <option [value]="s" [selected]="s === f.sort">{{ s }}</option>
          }
        </select>
      </label>
      <button type="button" class="reset" (click)="reset.emit()">Reset</button>
    </form>
  `,
  styles: `
    .filters {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 0.75rem 1rem;
      margin: 0 0 1rem;
    }
    label {
      display: flex;
      flex-direction: column;
      gap: 0.2rem;
      font-size: 0.8rem;
      color: var(--muted);
    }
    .slider {
      min-width: 10rem;
    }
    .slider output {
      color: var(--text);
      font-variant-numeric: tabular-nums;
    }
    .segmented {
      display: inline-flex;
      border: 1px solid var(--border);
      border-radius: 6px;
      padding: 0;
      margin: 0;
      overflow: hidden;
    }
    .segmented button {
      border: 0;
      border-radius: 0;
    }
    .segmented button.on {
      background: var(--accent);
      color: var(--accent-text);
    }
    .reset {
      align-self: flex-end;
    }
  `,
})
export class FiltersBarComponent {
  readonly filters = input.required<LiveFilters>();
  readonly timeframes = input.required<readonly string[]>();
  readonly showStatus = input(true);
  readonly changed = output<Partial<LiveFilters>>();
  readonly reset = output<void>();

  protected readonly directions: readonly DirectionFilter[] = ['ALL', 'LONG', 'SHORT'];
  protected readonly statuses = STATUS_FILTERS;
  protected readonly sorts = SIGNAL_SORTS;

  protected emit(change: Partial<LiveFilters>): void {
    this.changed.emit(change);
  }
  protected value(event: Event): string {
    return (event.target as HTMLInputElement | HTMLSelectElement).value;
  }
  protected statusLabel(status: StatusFilter): string {
    return status === 'CLOSED'
      ? 'Closed (any)'
      : status === 'ACTIVE'
        ? 'Active'
        : status.replace('_', ' ').toLowerCase();
  }
}
