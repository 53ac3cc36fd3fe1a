import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SignalDetail } from '@scanner/contracts';
import { formatDuration } from '@app/shared/format/age-format';
import { PricePipe, RMultiplePipe } from '@app/shared/format/format.pipes';
import { STATUS_LABELS } from '@app/shared/format/outcome-labels';

@Component({
  selector: 'app-outcome-panel',
  imports: [PricePipe, RMultiplePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let s = detail().signal;
    <section class="panel" aria-labelledby="outcome-title" data-testid="outcome">
      <h2 id="outcome-title">Outcome</h2>
      <dl>
        <div>
          <dt>Result</dt>
          <dd [class.long-text]="s.status === 'TP_HIT'" [class.short-text]="s.status === 'SL_HIT'">
            {{ label() }}
          </dd>
        </div>
        <div>
          <dt>Net R (after costs)</dt>
          <dd data-testid="net-r">{{ s.netR | rMultiple }}</dd>
        </div>
        <div>
          <dt>Gross R</dt>
          <dd class="gross" data-testid="gross-r">{{ s.outcomeR | rMultiple }}</dd>
        </div>
        @if (s.resolution) {
          <div>
            <dt>Same-candle rule</dt>
            <dd data-testid="resolution" [title]="resolutionTitle()">{{ s.resolution }}</dd>
          </div>
        }
        <div>
          <dt>Origin</dt>
          <dd data-testid="outcome-origin">{{ s.origin }}</dd>
        </div>
        <div>
          <dt>Exit price</dt>
          <dd>{{ s.exitPrice | price: decimals() }}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{{ duration() }}</dd>
        </div>
        <div>
          <dt>Max favourable</dt>
          <dd>{{ detail().maxFavorableR | rMultiple }}</dd>
        </div>
        <div>
          <dt>Max adverse</dt>
          <dd>{{ detail().maxAdverseR | rMultiple }}</dd>
        </div>
        @if (s.closeReason) {
          <div class="reason">
            <dt>Why it was cancelled</dt>
            <dd data-testid="close-reason">{{ s.closeReason }}</dd>
          </div>
        }
      </dl>
    </section>
  `,
  styles: `
    dl {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
      gap: 0.5rem 1rem;
      margin: 0;
    }
    dd {
      font-weight: 600;
    }
    .gross {
      font-weight: 400;
      color: var(--muted);
    }
    .reason {
      grid-column: 1 / -1;
    }
  `,
})
export class OutcomePanelComponent {
  readonly detail = input.required<SignalDetail>();
  readonly decimals = input(2);
  protected readonly resolutionTitle = computed(() =>
    this.detail().signal.resolution === 'fine'
      ? 'One candle touched both stop and target; finer candles decided which came first'
      : 'One candle touched both stop and target and no finer candles were available: counted as the stop (conservative)',
  );
  protected readonly label = computed(() => STATUS_LABELS[this.detail().signal.status]);
  protected readonly duration = computed(() => {
    const s = this.detail().signal;
    return s.closedAt ? formatDuration(Date.parse(s.closedAt) - Date.parse(s.createdAt)) : '—';
  });
}
