import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Signal } from '@scanner/contracts';
import { formatR } from '@app/shared/format/percent-format';
import { cumulativeR, curvePath } from './cumulative-r';

/** Cumulative net R (after costs) over time as a small SVG. */
@Component({
  selector: 'app-cumulative-r-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (points().length === 0) {
      <p class="muted">No closed signal with a net R yet among the loaded rows.</p>
    } @else {
      <svg
        viewBox="0 0 600 160"
        preserveAspectRatio="none"
        role="img"
        data-testid="cumulative-r"
        [attr.aria-label]="'Cumulative net R over ' + points().length + ' signals, ending at ' + last()"
      >
        <line x1="0" x2="600" [attr.y1]="path().zeroY" [attr.y2]="path().zeroY" class="zero" />
        <path [attr.d]="path().d" fill="none" [class.down]="lastValue() < 0" />
      </svg>
      <p class="muted small">
        {{ points().length }} signals · from {{ from() }} to {{ to() }} (UTC) · total {{ last() }} net
      </p>
    }
  `,
  styles: `
    svg {
      width: 100%;
      height: 160px;
    }
    path {
      stroke: var(--long);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    path.down {
      stroke: var(--short);
    }
    .zero {
      stroke: var(--border);
      stroke-dasharray: 4 4;
      vector-effect: non-scaling-stroke;
    }
    .small {
      font-size: 0.8rem;
      margin: 0.25rem 0 0;
    }
  `,
})
export class CumulativeRChartComponent {
  readonly signals = input.required<readonly Signal[]>();
  protected readonly points = computed(() => cumulativeR(this.signals()));
  protected readonly path = computed(() => curvePath(this.points(), 600, 160));
  protected readonly lastValue = computed(() => this.points().at(-1)?.r ?? 0);
  protected readonly last = computed(() => formatR(this.lastValue()));
  protected readonly from = computed(() =>
    new Date(this.points()[0]?.time ?? 0).toISOString().slice(0, 16).replace('T', ' '),
  );
  protected readonly to = computed(() =>
    new Date(this.points().at(-1)?.time ?? 0).toISOString().slice(0, 16).replace('T', ' '),
  );
}
