import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SignalConfluence } from '@scanner/contracts';
import { confluenceLabel, confluenceMarks } from './confluence';

/**
 * The same symbol on the other scanned timeframes when the signal was created: "1h ▲✓ 4h △".
 * A filled arrow is an active signal there, an outlined one the side of EMA200, ✓ marks a timeframe
 * that agrees; shapes and marks carry the meaning, the colour only repeats it. Screen readers get one
 * sentence ("1h: long signal, agrees; 4h: above EMA200. 2 of 3 timeframes agree"). Renders nothing
 * when there is no other timeframe to show.
 */
@Component({
  selector: 'app-confluence',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (marks().length > 0) {
      <span class="marks" role="img" [attr.aria-label]="label()" [title]="label()" data-testid="confluence">
        @for (mark of marks(); track mark.timeframe) {
          <span
            class="mark"
            [class.up]="mark.side === 'up'"
            [class.down]="mark.side === 'down'"
            [class.agrees]="mark.agrees"
            [class.stale]="mark.stale"
            [attr.data-timeframe]="mark.timeframe"
            aria-hidden="true"
            ><span class="tf">{{ mark.timeframe }}</span
            ><span class="arrow">{{ mark.arrow }}</span>
            @if (mark.agrees) {
              <span class="check">✓</span>
            }
          </span>
        }
      </span>
    }
  `,
  styles: `
    :host {
      display: inline-block;
      font-size: 0.8rem;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .marks {
      display: inline-flex;
      gap: 0.55rem;
      cursor: help;
    }
    .mark {
      display: inline-flex;
      align-items: baseline;
      gap: 0.15rem;
      color: var(--muted);
    }
    .tf {
      color: var(--muted);
    }
    .arrow {
      font-size: 0.85rem;
    }
    .agrees.up .arrow,
    .agrees.up .check {
      color: var(--long);
    }
    .agrees.down .arrow,
    .agrees.down .check {
      color: var(--short);
    }
    .agrees .arrow {
      font-weight: 700;
    }
    .stale {
      text-decoration: line-through;
    }
  `,
})
export class ConfluenceComponent {
  readonly confluence = input<SignalConfluence | null | undefined>(null);
  protected readonly marks = computed(() => {
    const confluence = this.confluence();
    return confluence ? confluenceMarks(confluence) : [];
  });
  protected readonly label = computed(() => {
    const confluence = this.confluence();
    return confluence ? confluenceLabel(confluence) : '';
  });
}
