import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  signal,
} from '@angular/core';
import type { Signal } from '@scanner/contracts';
import { visibleRange } from './visible-range';
import { SignalCardComponent } from './signal-card.component';

/** Card geometry in rem (cards have a fixed height so the window can be computed without measuring them). */
const MIN_CARD_WIDTH_REM = 17;
const ROW_HEIGHT_REM = 14.5;
const GAP_REM = 0.75;
/** Rows rendered above and below the viewport, so scrolling and Tab find cards already there. */
const BUFFER_ROWS = 3;
const FIRST_PAINT_ITEMS = 24;

/**
 * The live grid, windowed: only the rows near the viewport exist in the DOM (a few dozen cards out of a
 * thousand), so updates, re-sorting and scrolling stay cheap. Without layout information (no ResizeObserver,
 * zero width — as in unit tests) every card is rendered.
 */
@Component({
  selector: 'app-signal-grid',
  imports: [SignalCardComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="spacer" [style.height.px]="range().totalHeight">
      <div
        class="window"
        [style.transform]="'translateY(' + range().offset + 'px)'"
        [style.grid-template-columns]="columnsCss()"
      >
        @for (s of windowed(); track s.id) {
          <app-signal-card [signal]="s" />
        }
      </div>
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .spacer {
      position: relative;
    }
    .window {
      display: grid;
      gap: ${GAP_REM}rem;
      grid-auto-rows: ${ROW_HEIGHT_REM}rem;
      will-change: transform;
    }
  `,
})
export class SignalGridComponent {
  readonly signals = input.required<readonly Signal[]>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly width = signal(0);
  private readonly remPx = signal(16);
  private readonly viewportTop = signal(0);
  private readonly viewportHeight = signal(0);

  private readonly columns = computed(() => {
    const width = this.width();
    if (width <= 0) return 0;
    const rem = this.remPx();
    return Math.max(1, Math.floor((width + GAP_REM * rem) / ((MIN_CARD_WIDTH_REM + GAP_REM) * rem)));
  });
  protected readonly columnsCss = computed(() =>
    this.columns() > 0
      ? `repeat(${this.columns()}, minmax(0, 1fr))`
      : 'repeat(auto-fill, minmax(min(100%, 17rem), 1fr))',
  );
  protected readonly range = computed(
    () =>
      visibleRange({
        count: this.signals().length,
        columns: this.columns(),
        rowHeight: (ROW_HEIGHT_REM + GAP_REM) * this.remPx(),
        gap: GAP_REM * this.remPx(),
        viewportTop: this.viewportTop(),
        viewportHeight: this.viewportHeight(),
        bufferRows: BUFFER_ROWS,
      }),
    {
      equal: (a, b) =>
        a.start === b.start && a.end === b.end && a.offset === b.offset && a.totalHeight === b.totalHeight,
    },
  );
  /** Until the first measurement, render only a first screenful (everything when layout can never be measured). */
  private readonly measurable = typeof ResizeObserver !== 'undefined';
  protected readonly windowed = computed(() => {
    const all = this.signals();
    if (this.measurable && this.columns() === 0) return all.slice(0, FIRST_PAINT_ITEMS);
    const { start, end } = this.range();
    return start === 0 && end >= all.length ? all : all.slice(start, end);
  });

  constructor() {
    afterNextRender(() => {
      if (typeof ResizeObserver === 'undefined') return;
      const element = this.host.nativeElement;
      const measure = () => {
        // Where the viewport is, relative to the top of the grid.
        this.viewportTop.set(-element.getBoundingClientRect().top);
        this.viewportHeight.set(window.innerHeight);
      };
      const observer = new ResizeObserver(() => {
        this.remPx.set(parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
        this.width.set(element.clientWidth);
        measure();
      });
      observer.observe(element);
      window.addEventListener('scroll', measure, { passive: true });
      window.addEventListener('resize', measure, { passive: true });
      this.destroy.onDestroy(() => {
        observer.disconnect();
        window.removeEventListener('scroll', measure);
        window.removeEventListener('resize', measure);
      });
    });
  }

  private readonly destroy = inject(DestroyRef);
}
