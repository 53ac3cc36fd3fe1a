import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Signal } from '@scanner/contracts';
import { pTargetText, pTargetTitle } from '@app/shared/format/rate-format';

let nextId = 0;

/**
 * The calibrated chance of TP before SL ("P(TP) 48%"); hovering or focusing it says what it rests on
 * ("from 1,234 closed signals on 5m") or why there is none yet.
 */
@Component({
  selector: 'app-p-target',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span
      class="p"
      tabindex="0"
      [class.none]="signal().pTarget === null"
      [attr.aria-describedby]="tipId"
      data-testid="p-target"
      ><abbr>P(TP)</abbr>&nbsp;<strong>{{ text() }}</strong></span
    >
    <span class="tip" role="tooltip" [id]="tipId" data-testid="p-target-tip">{{ title() }}</span>
  `,
  styles: `
    :host {
      position: relative;
      display: inline-block;
      white-space: nowrap;
      font-size: 0.8rem;
    }
    .p {
      cursor: help;
      border-radius: 4px;
      font-variant-numeric: tabular-nums;
    }
    abbr {
      text-decoration: none;
      color: var(--muted);
    }
    .none strong {
      color: var(--muted);
      font-weight: 400;
    }
    .tip {
      display: none;
      position: absolute;
      z-index: 20;
      right: 0;
      bottom: calc(100% + 0.35rem);
      width: max-content;
      max-width: 16rem;
      white-space: normal;
      padding: 0.4rem 0.5rem;
      background: var(--surface-raised);
      border: 1px solid var(--border);
      border-radius: 6px;
      box-shadow: 0 8px 24px rgb(0 0 0 / 35%);
      color: var(--text);
    }
    :host(:hover) .tip,
    .p:focus-visible + .tip {
      display: block;
    }
  `,
})
export class PTargetComponent {
  readonly signal = input.required<Signal>();
  protected readonly tipId = `p-target-tip-${nextId++}`;
  protected readonly text = computed(() => pTargetText(this.signal()));
  protected readonly title = computed(() => pTargetTitle(this.signal()));
}
