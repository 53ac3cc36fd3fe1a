import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SignalCondition } from '@scanner/contracts';
import { CONDITION_LABELS } from '@app/shared/format/outcome-labels';

/** The 8 scored conditions of a signal: met or not, weight, and the values behind it. */
@Component({
  selector: 'app-condition-breakdown',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table>
      <caption>
        Confidence
        {{
          score()
        }}
        of
        {{
          total()
        }}
      </caption>
      <thead>
        <tr>
          <th scope="col">Condition</th>
          <th scope="col">Weight</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        @for (c of conditions(); track c.key) {
          <tr [class.met]="c.met">
            <th scope="row">
              <span class="mark" [attr.aria-label]="c.met ? 'met' : 'not met'">{{ c.met ? '✓' : '✗' }}</span>
              {{ label(c.key) }}
            </th>
            <td>{{ c.weight }}</td>
            <td class="detail">{{ c.detail }}</td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    table {
      border-collapse: collapse;
      font-size: 0.8rem;
      width: 100%;
    }
    caption {
      text-align: left;
      font-weight: 600;
      padding-bottom: 0.25rem;
    }
    th,
    td {
      padding: 0.15rem 0.35rem;
      text-align: left;
      vertical-align: top;
      font-weight: normal;
    }
    thead th {
      color: var(--muted);
      font-size: 0.75rem;
    }
    tr {
      color: var(--muted);
    }
    tr.met {
      color: var(--text);
    }
    .mark {
      display: inline-block;
      width: 1em;
      color: var(--short);
    }
    tr.met .mark {
      color: var(--long);
    }
    .detail {
      font-variant-numeric: tabular-nums;
      word-break: break-word;
    }
  `,
})
export class ConditionBreakdownComponent {
  readonly conditions = input.required<readonly SignalCondition[]>();
  protected readonly score = computed(() =>
    this.conditions().reduce((sum, c) => sum + (c.met ? c.weight : 0), 0),
  );
  protected readonly total = computed(() => this.conditions().reduce((sum, c) => sum + c.weight, 0));
  protected label(key: string): string {
    return CONDITION_LABELS[key] ?? key;
  }
}
