import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { formatR } from '@app/shared/format/percent-format';

const W = 600;
const H = 180;

/** SVG paths of both curves on one scale (x: trade number as a share of each curve's length). */
export function equityPaths(
  a: readonly number[],
  b: readonly number[],
  width = W,
  height = H,
): { a: string; b: string; zeroY: number } {
  const all = [0, ...a, ...b];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const y = (r: number) => height - ((r - min) / span) * height;
  const path = (curve: readonly number[]) =>
    curve.length === 0
      ? ''
      : `M0,${y(0).toFixed(1)} ` +
        curve.map((r, i) => `L${(((i + 1) / curve.length) * width).toFixed(1)},${y(r).toFixed(1)}`).join(' ');
  return { a: path(a), b: path(b), zeroY: y(0) };
}

/**
 * Both versions' equity curves in R (cumulative net R after each close, in closing order) on one
 * scale. The history page's cumulative-R chart draws stored signals over time; a replay's result holds
 * the curve itself, so it is drawn here against the trade count.
 */
@Component({
  selector: 'app-equity-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (a().length === 0 && b().length === 0) {
      <p class="muted" data-testid="equity-empty">
        Neither version closed a signal in this replay: there is no equity curve to draw.
      </p>
    } @else {
      <svg
        [attr.viewBox]="'0 0 ' + width + ' ' + height"
        preserveAspectRatio="none"
        role="img"
        data-testid="equity-chart"
        [attr.aria-label]="label()"
      >
        <line x1="0" [attr.x2]="width" [attr.y1]="paths().zeroY" [attr.y2]="paths().zeroY" class="zero" />
        <path [attr.d]="paths().a" class="a" data-testid="equity-a" fill="none" />
        <path [attr.d]="paths().b" class="b" data-testid="equity-b" fill="none" />
      </svg>
      <p class="legend small">
        <span class="key a"></span> A (version {{ versionA() }}): {{ a().length }} closes, ends at
        {{ end(a()) }} · <span class="key b"></span> B (version {{ versionB() }}): {{ b().length }} closes,
        ends at {{ end(b()) }} · dashed: 0 R
      </p>
    }
  `,
  styles: `
    svg {
      width: 100%;
      height: 180px;
    }
    path {
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    path.a {
      stroke: var(--accent);
    }
    path.b {
      stroke: var(--warn);
    }
    .zero {
      stroke: var(--border);
      stroke-dasharray: 4 4;
      vector-effect: non-scaling-stroke;
    }
    .small {
      font-size: 0.8rem;
      color: var(--muted);
    }
    .key {
      display: inline-block;
      width: 1rem;
      height: 3px;
      vertical-align: middle;
    }
    .key.a {
      background: var(--accent);
    }
    .key.b {
      background: var(--warn);
    }
  `,
})
export class EquityChartComponent {
  readonly a = input.required<readonly number[]>();
  readonly b = input.required<readonly number[]>();
  readonly versionA = input.required<number>();
  readonly versionB = input.required<number>();
  protected readonly width = W;
  protected readonly height = H;
  protected readonly paths = computed(() => equityPaths(this.a(), this.b()));
  protected readonly label = computed(
    () =>
      `Equity curves in net R: version ${this.versionA()} ends at ${this.end(this.a())} after ${this.a().length} closes, version ${this.versionB()} at ${this.end(this.b())} after ${this.b().length}`,
  );
  protected end(curve: readonly number[]): string {
    return formatR(curve.at(-1) ?? 0);
  }
}
