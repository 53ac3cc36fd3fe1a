import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import type { SignalCondition } from '@scanner/contracts';
import { ConditionBreakdownComponent } from './condition-breakdown.component';

let nextId = 0;

/** Confidence bar; hovering or focusing it shows the 8-condition breakdown (rendered only while open). */
@Component({
  selector: 'app-confidence-meter',
  imports: [ConditionBreakdownComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(mouseenter)': 'open.set(true)',
    '(mouseleave)': 'open.set(false)',
    '(focusin)': 'open.set(true)',
    '(focusout)': 'open.set(false)',
    '(keydown.escape)': 'open.set(false)',
  },
  template: `
    <div
      class="meter"
      tabindex="0"
      role="meter"
      aria-valuemin="0"
      aria-valuemax="100"
      [attr.aria-valuenow]="confidence()"
      [attr.aria-label]="'Confidence ' + confidence() + ' of 100; focus for the condition breakdown'"
      [attr.aria-describedby]="open() ? tipId : null"
      data-testid="confidence"
    >
      <div class="bar"><div class="fill" [style.width.%]="confidence()"></div></div>
      <span class="value">{{ confidence() }}</span>
    </div>
    @if (open()) {
      <div class="tip" role="tooltip" [id]="tipId" data-testid="breakdown">
        <app-condition-breakdown [conditions]="conditions()" />
      </div>
    }
  `,
  styles: `
    :host {
      position: relative;
      display: block;
    }
    .meter {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      border-radius: 4px;
      cursor: help;
    }
    .bar {
      flex: 1;
      height: 0.45rem;
      border-radius: 999px;
      background: var(--border);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: linear-gradient(90deg, var(--warn), var(--long));
    }
    .value {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
      min-width: 2ch;
      text-align: right;
    }
    .tip {
      position: absolute;
      z-index: 20;
      left: 0;
      right: 0;
      top: calc(100% + 0.35rem);
      min-width: 16rem;
      padding: 0.5rem;
      background: var(--surface-raised);
      border: 1px solid var(--border);
      border-radius: 6px;
      box-shadow: 0 8px 24px rgb(0 0 0 / 35%);
    }
  `,
})
export class ConfidenceMeterComponent {
  readonly confidence = input.required<number>();
  readonly conditions = input.required<readonly SignalCondition[]>();
  protected readonly open = signal(false);
  protected readonly tipId = `breakdown-${nextId++}`;
}
