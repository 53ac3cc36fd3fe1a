import { ChangeDetectionStrategy, Component, input } from '@angular/core';

export interface StatCard {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}

@Component({
  selector: 'app-stats-cards',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="stats" aria-label="Summary">
      @for (card of cards(); track card.testId) {
        <li [attr.data-testid]="card.testId">
          <span class="label">{{ card.label }}</span>
          <span class="value">{{ card.value }}</span>
          @if (card.hint) {
            <span class="hint">{{ card.hint }}</span>
          }
        </li>
      }
    </ul>
  `,
  styles: `
    .stats {
      list-style: none;
      margin: 0 0 1rem;
      padding: 0;
      display: grid;
      gap: 0.75rem;
      grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
    }
    li {
      background: var(--surface);
      border: 1px solid var(--border);
      border-radius: 8px;
      padding: 0.6rem 0.85rem;
      display: flex;
      flex-direction: column;
    }
    .label {
      font-size: 0.75rem;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--muted);
    }
    .value {
      font-size: 1.5rem;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    .hint {
      font-size: 0.75rem;
      color: var(--muted);
    }
  `,
})
export class StatsCardsComponent {
  readonly cards = input.required<readonly StatCard[]>();
}
