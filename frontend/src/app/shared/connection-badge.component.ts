import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CONNECTION_LABELS, ConnectionState } from '@app/core/socket/connection-state';

@Component({
  selector: 'app-connection-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span
    class="badge"
    [class]="state()"
    role="status"
    [attr.aria-label]="'Live feed ' + label()"
    data-testid="connection-badge"
  >
    <span class="dot" aria-hidden="true"></span>{{ label() }}
  </span>`,
  styles: `
    .badge {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      padding: 0.15rem 0.6rem;
      border-radius: 999px;
      border: 1px solid var(--border);
      font-size: 0.85rem;
    }
    .dot {
      width: 0.55rem;
      height: 0.55rem;
      border-radius: 50%;
      background: var(--muted);
    }
    .connected .dot {
      background: var(--long);
    }
    .reconnecting .dot,
    .connecting .dot {
      background: var(--warn);
    }
    .offline .dot {
      background: var(--short);
    }
  `,
})
export class ConnectionBadgeComponent {
  readonly state = input.required<ConnectionState>();
  readonly attempt = input(0);

  protected readonly label = computed(() => {
    const base = CONNECTION_LABELS[this.state()];
    return this.state() === 'reconnecting' && this.attempt() > 0
      ? `${base} (attempt ${this.attempt()})`
      : base;
  });
}
