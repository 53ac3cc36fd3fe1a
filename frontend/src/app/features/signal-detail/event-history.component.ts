import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SignalHistoryEntry } from '@scanner/contracts';
import { PricePipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';
import { sparklinePoints } from './confidence-sparkline';

/** The signal's event log and its confidence over time. */
@Component({
  selector: 'app-event-history',
  imports: [PricePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="panel" aria-labelledby="history-title">
      <h2 id="history-title">Event history</h2>
      @if (events().length === 0) {
        <p class="muted">No events recorded for this signal.</p>
      } @else {
        <svg
          class="spark"
          viewBox="0 0 300 60"
          preserveAspectRatio="none"
          role="img"
          [attr.aria-label]="'Confidence over time: ' + summary()"
        >
          <line x1="0" x2="300" [attr.y1]="thresholdY" [attr.y2]="thresholdY" class="threshold" />
          <polyline [attr.points]="points()" fill="none" />
        </svg>
        <div class="table-scroll">
          <table class="data-table" data-testid="event-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Event</th>
                <th scope="col">Market time</th>
                <th scope="col" class="num">Confidence</th>
                <th scope="col" class="num">Stop</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              @for (e of events(); track e.seq) {
                <tr>
                  <td>{{ e.seq }}</td>
                  <td>{{ e.type === 'deleted' ? 'closed' : e.type }}</td>
                  <td>
                    {{
                      (e.type === 'created' ? e.signal.createdAt : e.signal.updatedAt)
                        .replace('T', ' ')
                        .slice(0, 19)
                    }}
                  </td>
                  <td class="num">{{ e.signal.confidence }}</td>
                  <td class="num">{{ e.signal.stopLoss | price: decimals() }}</td>
                  <td>{{ statusLabel(e) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .spark {
      width: 100%;
      height: 60px;
      margin-bottom: 0.5rem;
    }
    .spark polyline {
      stroke: var(--accent);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    .threshold {
      stroke: var(--warn);
      stroke-dasharray: 4 4;
      vector-effect: non-scaling-stroke;
    }
  `,
})
export class EventHistoryComponent {
  readonly events = input.required<readonly SignalHistoryEntry[]>();
  readonly decimals = input(2);
  /** The creation threshold (default minConfidence 70), drawn as a dashed line. */
  protected readonly thresholdY = 60 - (70 / 100) * 60;
  protected readonly points = computed(() =>
    sparklinePoints(
      this.events().map((e) => e.signal.confidence),
      300,
      60,
    ),
  );
  protected readonly summary = computed(() =>
    this.events()
      .map((e) => e.signal.confidence)
      .join(' → '),
  );
  protected statusLabel(e: SignalHistoryEntry): string {
    return STATUS_LABELS[e.signal.status];
  }
}
