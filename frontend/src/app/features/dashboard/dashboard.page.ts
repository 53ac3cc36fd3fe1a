import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { SignalsSocketService } from '@app/core/socket/signals-socket.service';

@Component({
  selector: 'app-dashboard-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Live signals</h1>
    @switch (status()) {
      @case ('waiting') {
        <p class="note" role="status">Waiting for the live feed…</p>
      }
      @case ('empty') {
        <p class="note" role="status" data-testid="empty-state">
          No active signals right now. New setups appear here as soon as the scanner finds them.
        </p>
      }
      @case ('ready') {
        <p role="status" data-testid="active-count">{{ count() }} active signal(s)</p>
      }
    }
  `,
  styles: `
    h1 { font-size: 1.4rem; margin: 0 0 1rem; }
    .note { color: var(--muted); }
  `,
})
export class DashboardPage {
  private readonly socket = inject(SignalsSocketService);

  protected readonly count = computed(() => this.socket.snapshot()?.signals.length ?? 0);
  protected readonly status = computed(() => {
    const snapshot = this.socket.snapshot();
    if (snapshot === null) return 'waiting';
    return snapshot.signals.length === 0 ? 'empty' : 'ready';
  });
}
