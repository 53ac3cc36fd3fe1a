import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { OutcomeStats, SignalStats } from '@scanner/contracts';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { formatRatio } from '@app/shared/format/percent-format';

/** Win rate, average R and expectancy overall, by timeframe and by direction. */
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
            <th scope="col" class="num">Win rate</th>
            <th scope="col" class="num">Avg R</th>
            <th scope="col" class="num">Expectancy</th>
            <th scope="col" class="num">Profit factor</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.label) {
            <tr [class.total]="row.total">
              <th scope="row">{{ row.label }}</th>
              <td class="num">{{ row.s.closed }}</td>
              <td class="num">{{ row.s.byOutcome.TP_HIT }}</td>
              <td class="num">{{ row.s.byOutcome.SL_HIT }}</td>
              <td class="num">{{ row.s.byOutcome.INVALIDATED }}</td>
              <td class="num">{{ row.s.byOutcome.EXPIRED }}</td>
              <td class="num">{{ row.s.byOutcome.CANCELLED ?? 0 }}</td>
              <td class="num">{{ ratio(row.s.winRate) }}</td>
              <td class="num">{{ row.s.averageR | rMultiple }}</td>
              <td class="num">{{ row.s.expectancy | rMultiple }}</td>
              <td class="num">{{ row.s.profitFactor?.toFixed(2) ?? '—' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .total th,
    .total td {
      font-weight: 700;
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
  protected ratio(value: number | null): string {
    return formatRatio(value);
  }
}
