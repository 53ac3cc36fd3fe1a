import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { OutcomeStats, RateDto, SignalStats } from '@scanner/contracts';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { formatRateDetail, formatRateValue } from '@app/shared/format/rate-format';

/** Outcomes, win and hit rates (with n and interval) and net expectancy overall, by timeframe and by direction. */
@Component({
  selector: 'app-outcome-stats',
  imports: [RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-scroll">
      <table class="data-table" data-testid="outcome-stats">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" class="num">Closed</th>
            <th scope="col" class="num">TP</th>
            <th scope="col" class="num">SL</th>
            <th scope="col" class="num">Inval.</th>
            <th scope="col" class="num">Expired</th>
            <th scope="col" class="num" title="Symbol delisted, halted or gone from the universe">
              Cancelled
            </th>
            <th scope="col" class="num" title="TP / (TP + SL), with the 95% Wilson interval">
              Win rate TP/(TP+SL)
            </th>
            <th scope="col" class="num" title="TP / all closed, with the 95% Wilson interval">
              Hit rate TP / all
            </th>
            <th scope="col" class="num" title="Mean net R over every close">Expectancy net</th>
            <th scope="col" class="num" title="The same mean before costs">gross</th>
            <th scope="col" class="num" title="Sum of positive net R / |sum of negative net R|">
              Profit factor
            </th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.label) {
            <tr [class.total]="row.total" [class.anecdotal]="row.s.lowSample">
              <th scope="row">
                {{ row.label }}
                @if (row.s.lowSample) {
                  <span title="Fewer than 30 closed signals: anecdotal">*</span>
                }
              </th>
              <td class="num">{{ row.s.closed }}</td>
              <td class="num">{{ row.s.byOutcome.TP_HIT }}</td>
              <td class="num">{{ row.s.byOutcome.SL_HIT }}</td>
              <td class="num">{{ row.s.byOutcome.INVALIDATED }}</td>
              <td class="num">{{ row.s.byOutcome.EXPIRED }}</td>
              <td class="num">{{ row.s.byOutcome.CANCELLED ?? 0 }}</td>
              <td class="num" [title]="detail(row.s.winRateInterval)">
                {{ rate(row.s.winRateInterval) }} <small>n={{ row.s.winRateInterval.n }}</small>
              </td>
              <td class="num" [title]="detail(row.s.hitRateInterval)">
                {{ rate(row.s.hitRateInterval) }} <small>n={{ row.s.hitRateInterval.n }}</small>
              </td>
              <td class="num">{{ row.s.expectancy | rMultiple }}</td>
              <td class="num muted">{{ row.s.expectancyGross | rMultiple }}</td>
              <td class="num">{{ row.s.profitFactor?.toFixed(2) ?? '—' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
    @if (anyLowSample()) {
      <p class="muted footnote">* fewer than 30 closed signals: anecdotal.</p>
    }
  `,
  styles: `
    .total th,
    .total td {
      font-weight: 700;
    }
    small {
      color: var(--muted);
      font-weight: 400;
    }
    .anecdotal td {
      color: var(--muted);
    }
    .footnote {
      font-size: 0.8rem;
      margin: 0.25rem 0 0;
    }
  `,
})
export class OutcomeStatsComponent {
  readonly stats = input.required<SignalStats>();
  protected readonly rows = computed(() => {
    const s = this.stats();
    const rows: { label: string; s: OutcomeStats; total?: boolean }[] = [
      { label: 'All', s: s.overall, total: true },
    ];
    for (const [tf, stats] of Object.entries(s.byTimeframe)) rows.push({ label: tf, s: stats });
    for (const [dir, stats] of Object.entries(s.byDirection)) rows.push({ label: dir, s: stats });
    return rows;
  });
  protected readonly anyLowSample = computed(() => this.rows().some((row) => row.s.lowSample));
  protected rate(rate: RateDto): string {
    return formatRateValue(rate);
  }
  protected detail(rate: RateDto): string {
    return formatRateDetail(rate);
  }
}
