import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { SignalDirection } from '@scanner/contracts';

@Component({
  selector: 'app-direction-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span
    class="dir"
    [class.long]="direction() === 'LONG'"
    [attr.aria-label]="direction() + ' signal'"
    role="img"
    >{{ direction() }}</span
  >`,
  styles: `
    .dir {
      display: inline-block;
      padding: 0.05rem 0.45rem;
      border-radius: 4px;
      font-size: 0.75rem;
      font-weight: 700;
      letter-spacing: 0.03em;
      color: #fff;
      background: var(--short-strong);
    }
    .dir.long {
      background: var(--long-strong);
    }
  `,
})
export class DirectionBadgeComponent {
  readonly direction = input.required<SignalDirection>();
}
