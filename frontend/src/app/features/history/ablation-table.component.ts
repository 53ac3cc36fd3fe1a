import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConditionAblationReport, ConditionSplitDto } from '@scanner/contracts';
import { RMultiplePipe } from '@app/shared/format/format.pipes';
import { CONDITION_LABELS } from '@app/shared/format/outcome-labels';
import { formatInterval, formatRateValue } from '@app/shared/format/rate-format';

/**
 * Condition ablation over closed signals: for each scoring condition, the signals where it held at
 * creation against those where it did not — count, hit rate (TP / all closed) with its interval, mean
 * net R. A condition that carries weight should show a difference.
 */
@Component({
  selector: 'app-ablation-table',
  imports: [RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (report().closed === 0) {
      <p class="muted" role="status" data-testid="ablation-empty">
        No closed signal matches these filters yet: the table compares closed signals where each condition
        held with those where it did not.
      </p>
    } @else {
      <div class="table-scroll">
        <table class="data-table" data-testid="ablation-table">
          <caption>
            {{
              report().closed
            }}
            closed signals, split by each condition at creation
          </caption>
          <thead>
            <tr>
              <th scope="col" rowspan="2">Condition</th>
              <th scope="col" class="num" rowspan="2">Weight</th>
              <th scope="colgroup" colspan="3" class="group">Held</th>
              <th scope="colgroup" colspan="3" class="group">Not held</th>
            </tr>
            <tr>
              <th scope="col" class="num">Count</th>
              <th scope="col" class="num">Hit rate TP / all</th>
              <th scope="col" class="num">Mean net R</th>
              <th scope="col" class="num">Count</th>
              <th scope="col" class="num">Hit rate TP / all</th>
              <th scope="col" class="num">Mean net R</th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.key) {
              <tr data-testid="ablation-row" [attr.data-key]="row.key">
                <th scope="row">{{ row.label }}</th>
                <td class="num">{{ row.weight }}</td>
                <td class="num">{{ row.held.count }}</td>
                <td class="num" [title]="interval(row.held)">
                  {{ rate(row.held) }} <small>{{ interval(row.held) }}</small>
                </td>
                <td class="num">{{ row.held.meanNetR | rMultiple }}</td>
                <td class="num">{{ row.notHeld.count }}</td>
                <td class="num" [title]="interval(row.notHeld)">
                  {{ rate(row.notHeld) }} <small>{{ interval(row.notHeld) }}</small>
                </td>
                <td class="num">{{ row.notHeld.meanNetR | rMultiple }}</td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Hit rate = TP / all closed on that side; intervals are 95% Wilson. Fewer than 30 on a side is
        anecdotal.
      </p>
    }
  `,
  styles: `
    caption {
      text-align: left;
      font-size: 0.8rem;
      color: var(--muted);
      padding-bottom: 0.25rem;
    }
    .group {
      text-align: center;
      border-left: 1px solid var(--border);
    }
    small {
      color: var(--muted);
      font-size: 0.75rem;
    }
    .small {
      font-size: 0.8rem;
      margin: 0.25rem 0 0;
    }
  `,
})
export class AblationTableComponent {
  readonly report = input.required<ConditionAblationReport>();
  protected readonly rows = computed(() =>
    this.report().conditions.map((c) => ({ ...c, label: CONDITION_LABELS[c.key] ?? c.key })),
  );
  protected rate(side: ConditionSplitDto): string {
    return formatRateValue(side.hitRate);
  }
  protected interval(side: ConditionSplitDto): string {
    return side.hitRate.n === 0 ? '' : formatInterval(side.hitRate).replace('95% CI ', '');
  }
}
