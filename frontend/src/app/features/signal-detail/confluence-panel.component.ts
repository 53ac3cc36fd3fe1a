import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Signal } from '@scanner/contracts';
import { agreementText, confluenceMark, noConfluenceReason } from '@app/shared/signal/confluence';
import { ConfluenceComponent } from '@app/shared/signal/confluence.component';

/**
 * The signal's confluence on the detail page: the arrows of the card, how many timeframes agree, and
 * per other timeframe its state at the signal's creation — or why there is none.
 */
@Component({
  selector: 'app-confluence-panel',
  imports: [ConfluenceComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let s = signal();
    <section class="panel" aria-labelledby="confluence-title" data-testid="confluence-panel">
      <h2 id="confluence-title">Other timeframes at creation</h2>
      @if (reason(); as why) {
        <p class="muted" data-testid="confluence-none">{{ why }}</p>
      } @else if (s.confluence; as confluence) {
        <p class="summary">
          <app-confluence [confluence]="confluence" />
          <span data-testid="confluence-agreement">{{ agreement() }}</span>
        </p>
        <table data-testid="confluence-table">
          <caption class="visually-hidden">
            The same symbol on the other scanned timeframes when the signal was created
          </caption>
          <thead>
            <tr>
              <th scope="col">Timeframe</th>
              <th scope="col">State</th>
              <th scope="col">Long / short confidence</th>
              <th scope="col">As of (UTC)</th>
              <th scope="col">Agrees</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.timeframe) {
              <tr [attr.data-timeframe]="row.timeframe">
                <th scope="row">{{ row.timeframe }}</th>
                <td>{{ row.state }}</td>
                <td>{{ row.confidence }}</td>
                <td>{{ row.asOf }}</td>
                <td>{{ row.agrees }}</td>
              </tr>
            }
          </tbody>
        </table>
        <p class="muted small">
          A timeframe agrees when its data is current and its active signal goes the same way, or it has none
          and its close is on that side of EMA200 with that direction scoring higher.
        </p>
      }
    </section>
  `,
  styles: `
    .summary {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0.4rem 1rem;
      margin: 0 0 0.5rem;
    }
    .summary app-confluence {
      font-size: 1rem;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.85rem;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: left;
      padding: 0.25rem 0.5rem 0.25rem 0;
      border-bottom: 1px solid var(--border);
    }
    .small {
      font-size: 0.8rem;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
})
export class ConfluencePanelComponent {
  readonly signal = input.required<Signal>();

  protected readonly reason = computed(() => {
    const s = this.signal();
    return noConfluenceReason(s.confluence, s.origin, s.timeframe);
  });
  protected readonly agreement = computed(() => {
    const confluence = this.signal().confluence;
    return confluence ? agreementText(confluence) : '';
  });
  protected readonly rows = computed(() =>
    (this.signal().confluence?.others ?? []).map((state) => {
      const mark = confluenceMark(state);
      const confidence = (value: number | null) => (value === null ? '—' : String(Math.round(value)));
      return {
        timeframe: state.timeframe,
        state: `${mark.arrow} ${mark.what}${state.stale && state.asOf !== null ? ' (stale)' : ''}`,
        confidence: `${confidence(state.longConfidence)} / ${confidence(state.shortConfidence)}`,
        asOf: state.asOf === null ? '—' : state.asOf.replace('T', ' ').slice(0, 16),
        agrees: state.agrees ? '✓ yes' : 'no',
      };
    }),
  );
}
