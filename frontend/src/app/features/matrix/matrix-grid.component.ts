import {
  afterNextRender,
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
  viewChild,
  ViewEncapsulation,
} from '@angular/core';
import type { MarketMatrixCell } from '@scanner/contracts';
import { cellText, colourLevel, increasingRun, type MatrixSort, type MatrixSortField } from './matrix-view';
import { MatrixStore } from './matrix.store';

interface CellParts {
  td: HTMLDivElement;
  long: HTMLElement;
  short: HTMLElement;
  active: HTMLElement;
  detail: HTMLElement;
  /** What is painted now (so an unchanged part is never written); null = nothing yet. */
  shown: MarketMatrixCell | undefined | null;
}

/** One row element of the window: shows whichever symbol sits at its place in the order. */
interface Slot {
  tr: HTMLDivElement;
  th: HTMLDivElement;
  cells: CellParts[];
  symbol: string | null;
}

/** Row height in rem (fixed: the window is computed from the scroll offset, never measured). */
export const ROW_REM = 2.75;
/** Rows rendered above and below the visible ones, so a scroll step finds them painted. */
const BUFFER_ROWS = 6;
/** Rows rendered when the scroller has no height to measure (before layout, or without one). */
const UNMEASURED_ROWS = 40;

/**
 * The rows of `order` (n of them) to render for a scroller at `scrollTop` showing `viewport` pixels,
 * rows `rowPx` tall: [first, end), with BUFFER_ROWS either side.
 */
export function rowWindow(
  n: number,
  scrollTop: number,
  viewport: number,
  rowPx: number,
): { first: number; end: number } {
  if (viewport <= 0 || rowPx <= 0) return { first: 0, end: Math.min(n, UNMEASURED_ROWS) };
  const top = Math.floor(scrollTop / rowPx);
  const visible = Math.ceil(viewport / rowPx) + 1;
  // An offset past the end (the order shrank under it) shows the last rows, as the browser will.
  const first = Math.max(0, Math.min(top, n - visible) - BUFFER_ROWS);
  const end = Math.min(n, Math.max(top, first) + visible + BUFFER_ROWS);
  return { first, end: Math.max(first, end) };
}

/**
 * The matrix body, rendered by hand and windowed: the body is as tall as all the rows, but only the
 * rows in and near the scroller's view exist (a few dozen of however many symbols), each a CSS grid
 * row with one cell per timeframe. A scroll or a re-sort gives the same row elements other symbols and
 * repaints them; live ticks repaint only the cells they carry that are on screen (once per frame, see
 * MatrixStore): no change detection, no per-cell subscription. So the cost of a tick, a re-sort and a
 * scroll step does not grow with the universe. The table tells assistive technology its full size
 * (aria-rowcount) and each row's place (aria-rowindex).
 */
@Component({
  selector: 'app-matrix-grid',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The body's elements are created by hand (no _ngcontent attributes): styles are global, under .mx-grid.
  encapsulation: ViewEncapsulation.None,
  template: `
    <div class="scroller" #scroller data-testid="matrix-scroller">
      <div
        class="mx-grid"
        role="table"
        aria-label="Market matrix: long and short confidence per symbol and timeframe"
        data-testid="matrix-grid"
        [attr.aria-rowcount]="order().length + 1"
        [style.--mx-cols]="columns()"
        [style.--mx-n]="timeframes().length"
      >
        <div class="hdr" role="row" aria-rowindex="1">
          <div class="sym" role="columnheader" [attr.aria-sort]="ariaSort('symbol', null)">
            <button type="button" (click)="sortBy('symbol', null)">Symbol</button>
          </div>
          @for (tf of timeframes(); track tf) {
            <div role="columnheader" [attr.aria-sort]="ariaSort('long', tf) ?? ariaSort('short', tf)">
              <span class="tf">{{ tf }}</span>
              <button
                type="button"
                class="l"
                [class.on]="isSorted('long', tf)"
                [attr.aria-label]="'Sort by ' + tf + ' long confidence'"
                (click)="sortBy('long', tf)"
              >
                L
              </button>
              <button
                type="button"
                class="s"
                [class.on]="isSorted('short', tf)"
                [attr.aria-label]="'Sort by ' + tf + ' short confidence'"
                (click)="sortBy('short', tf)"
              >
                S
              </button>
            </div>
          }
        </div>
        <div #body class="mx-body" role="rowgroup"></div>
      </div>
    </div>
  `,
  styleUrl: './matrix-grid.component.css',
})
export class MatrixGridComponent {
  readonly order = input.required<readonly string[]>();
  readonly timeframes = input.required<readonly string[]>();
  readonly sort = input.required<MatrixSort>();
  readonly sortChange = output<MatrixSort>();

  private readonly store = inject(MatrixStore);
  private readonly body = viewChild.required<ElementRef<HTMLDivElement>>('body');
  private readonly scroller = viewChild.required<ElementRef<HTMLDivElement>>('scroller');
  protected readonly columns = computed(
    () =>
      `minmax(var(--mx-sym-min), var(--mx-sym-max)) repeat(${this.timeframes().length}, minmax(var(--mx-cell-min), 1fr))`,
  );
  /** The window's rows, in order. */
  private slots: Slot[] = [];
  /** Rows out of the DOM, kept for reuse when the window grows again. */
  private spare: Slot[] = [];
  private slotsFor: readonly string[] = [];
  /** The slot showing each symbol in the window. */
  private slotOf = new Map<string, Slot>();
  private shownOrder: readonly string[] = [];
  private rowPx = 0;
  private scrollQueued = false;

  constructor() {
    afterRenderEffect({
      write: () => {
        const timeframes = this.timeframes();
        const order = this.order();
        if (timeframes !== this.slotsFor) {
          for (const slot of this.slots) slot.tr.remove();
          this.slots = [];
          this.spare = [];
          this.slotOf = new Map();
          this.slotsFor = timeframes;
        }
        this.shownOrder = order;
        this.layout();
      },
    });
    const stop = this.store.onCells((cells) => this.repaint(cells));
    const destroy = inject(DestroyRef);
    destroy.onDestroy(stop);
    let destroyed = false;
    destroy.onDestroy(() => (destroyed = true));
    afterNextRender(() => {
      const scroller = this.scroller().nativeElement;
      const onScroll = () => {
        if (this.scrollQueued) return;
        this.scrollQueued = true;
        requestAnimationFrame(() => {
          this.scrollQueued = false;
          if (!destroyed) this.layout();
        });
      };
      scroller.addEventListener('scroll', onScroll, { passive: true });
      const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(onScroll);
      observer?.observe(scroller);
      destroy.onDestroy(() => {
        scroller.removeEventListener('scroll', onScroll);
        observer?.disconnect();
      });
    });
  }

  protected sortBy(field: MatrixSortField, timeframe: string | null): void {
    const current = this.sort();
    const same = current.field === field && current.timeframe === timeframe;
    // Values start high-first, symbols A–Z; a second click turns it round.
    const descending = same ? !current.descending : field !== 'symbol';
    this.sortChange.emit({ field, timeframe, descending });
  }

  protected isSorted(field: MatrixSortField, timeframe: string | null): boolean {
    const s = this.sort();
    return s.field === field && s.timeframe === timeframe;
  }

  protected ariaSort(field: MatrixSortField, timeframe: string | null): string | null {
    if (!this.isSorted(field, timeframe)) return null;
    return this.sort().descending ? 'descending' : 'ascending';
  }

  /**
   * Sizes the body for every row of the order and fills the window around the scroll offset. A symbol
   * still in the window keeps its row element (untouched unless its cells changed); rows that left
   * take the symbols that came in and are repainted; only rows off the longest run already in order
   * are moved (a scroll step moves the few rows that wrapped round, a re-sort at most the window).
   */
  private layout(): void {
    const order = this.shownOrder;
    const timeframes = this.slotsFor;
    const body = this.body().nativeElement;
    const scroller = this.scroller().nativeElement;
    if (this.rowPx === 0 && typeof getComputedStyle === 'function')
      this.rowPx = ROW_REM * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
    const height = `${order.length * ROW_REM}rem`;
    if (body.style.height !== height) body.style.height = height;
    // One layout read (the scroller's offset and height); the rows are fixed height.
    const { first, end } = rowWindow(order.length, scroller.scrollTop, scroller.clientHeight, this.rowPx);
    const padding = `${first * ROW_REM}rem`;
    if (body.style.paddingTop !== padding) body.style.paddingTop = padding;

    const want = order.slice(first, end);
    const wanted = new Set(want);
    const kept = new Map<string, Slot>();
    const free: Slot[] = [];
    for (const slot of this.slots) {
      if (slot.symbol !== null && wanted.has(slot.symbol) && !kept.has(slot.symbol))
        kept.set(slot.symbol, slot);
      else free.push(slot);
    }
    const next = want.map((symbol) => {
      let slot = kept.get(symbol);
      if (slot === undefined) {
        slot = free.pop() ?? this.spare.pop() ?? this.createRow(timeframes);
        this.assign(slot, symbol);
      }
      return slot;
    });
    for (const slot of free) {
      slot.tr.remove();
      this.spare.push(slot);
    }
    const now = new Map<Element, number>();
    for (let i = 0, el = body.firstElementChild; el !== null; i++, el = el.nextElementSibling) now.set(el, i);
    const keep = increasingRun(next.map((slot) => now.get(slot.tr) ?? -1));
    let anchor: Element | null = null;
    for (let i = next.length - 1; i >= 0; i--) {
      if (!keep.has(i)) body.insertBefore(next[i].tr, anchor);
      anchor = next[i].tr;
    }
    this.slots = next;
    this.slotOf = new Map();
    next.forEach((slot, i) => {
      const symbol = want[i];
      const index = String(first + i + 2);
      if (slot.tr.getAttribute('aria-rowindex') !== index) slot.tr.setAttribute('aria-rowindex', index);
      slot.cells.forEach((parts, c) => this.paint(parts, symbol, timeframes[c]));
      this.slotOf.set(symbol, slot);
    });
  }

  private repaint(cells: readonly MarketMatrixCell[]): void {
    const timeframes = this.slotsFor;
    for (const cell of cells) {
      const slot = this.slotOf.get(cell.symbol);
      if (slot === undefined) continue;
      const i = timeframes.indexOf(cell.timeframe);
      if (i >= 0) this.paint(slot.cells[i], cell.symbol, cell.timeframe);
    }
  }

  /** Gives a slot another symbol: its header, and every cell to be painted afresh. */
  private assign(slot: Slot, symbol: string): void {
    slot.symbol = symbol;
    slot.tr.dataset['symbol'] = symbol;
    slot.th.textContent = symbol.endsWith('USDT') ? symbol.slice(0, -4) : symbol;
    slot.th.title = symbol;
    for (const parts of slot.cells) parts.shown = null;
  }

  private createRow(timeframes: readonly string[]): Slot {
    const tr = document.createElement('div');
    tr.className = 'row';
    tr.setAttribute('role', 'row');
    const th = document.createElement('div');
    th.setAttribute('role', 'rowheader');
    th.className = 'sym';
    tr.appendChild(th);
    const cells = timeframes.map((timeframe) => {
      const td = document.createElement('div');
      td.setAttribute('role', 'cell');
      td.className = 'cell';
      td.dataset['tf'] = timeframe;
      const top = document.createElement('div');
      top.className = 'top';
      const long = document.createElement('span');
      long.className = 'n l';
      const short = document.createElement('span');
      short.className = 'n s';
      const active = document.createElement('span');
      active.className = 'a';
      top.append(long, short, active);
      const detail = document.createElement('div');
      detail.className = 'd';
      td.append(top, detail);
      tr.appendChild(td);
      return { td, long, short, active, detail, shown: null } satisfies CellParts;
    });
    return { tr, th, cells, symbol: null };
  }

  private paint(parts: CellParts, symbol: string, timeframe: string): void {
    const cell = this.store.cell(symbol, timeframe);
    if (parts.shown !== null && parts.shown === cell) return;
    const text = cellText(symbol, timeframe, cell);
    const level = colourLevel(cell);
    const td = parts.td;
    setText(parts.long, text.long);
    setText(parts.short, text.short);
    setText(parts.active, text.active);
    setText(parts.detail, text.detail);
    const lvl = level === null ? 'none' : String(level);
    if (td.dataset['lvl'] !== lvl) td.dataset['lvl'] = lvl;
    const side = cell?.active === 'LONG' ? 'long' : cell?.active === 'SHORT' ? 'short' : '';
    if ((td.dataset['active'] ?? '') !== side) {
      if (side === '') delete td.dataset['active'];
      else td.dataset['active'] = side;
    }
    if (td.title !== text.label) {
      td.title = text.label;
      td.setAttribute('aria-label', text.label);
    }
    parts.shown = cell;
  }
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
