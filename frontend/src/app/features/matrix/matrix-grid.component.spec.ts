import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { MarketMatrixCell, MarketMatrixSnapshot } from '@scanner/contracts';
import { FakeSocket } from '@app/testing/fake-socket';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { MatrixGridComponent, ROW_REM, rowWindow } from './matrix-grid.component';
import { DEFAULT_SORT, type MatrixSort } from './matrix-view';
import { MATRIX_FRAME, MatrixStore } from './matrix.store';

const cell = (symbol: string, timeframe: string, long: number, short = 10): MarketMatrixCell => ({
  symbol,
  timeframe,
  long,
  short,
  active: null,
  trend: 'above',
  rsi: 50,
  close: 1,
  asOf: '2024-08-05T11:59:59.999Z',
});

const SNAPSHOT: MarketMatrixSnapshot = {
  seq: 1,
  symbols: ['BTCUSDT', 'ETHUSDT'],
  timeframes: ['5m', '1h'],
  cells: [
    cell('BTCUSDT', '5m', 90),
    cell('BTCUSDT', '1h', 20),
    cell('ETHUSDT', '5m', 30),
    cell('ETHUSDT', '1h', 40),
  ],
  generatedAt: '2024-08-05T12:00:00.000Z',
};

@Component({
  imports: [MatrixGridComponent],
  template: `<app-matrix-grid
    [order]="order()"
    [timeframes]="store.timeframes()"
    [sort]="sort()"
    (sortChange)="sorts.push($event)"
  />`,
})
class HostComponent {
  readonly store = TestBedStore.store!;
  readonly order = signal<readonly string[]>(['BTCUSDT', 'ETHUSDT']);
  readonly sort = signal<MatrixSort>(DEFAULT_SORT);
  readonly sorts: MatrixSort[] = [];
}

const TestBedStore: { store: MatrixStore | null } = { store: null };

describe('MatrixGridComponent', () => {
  let fake: FakeSocket;
  let frames: (() => void)[];

  beforeEach(() => {
    fake = new FakeSocket();
    frames = [];
    TestBed.configureTestingModule({
      providers: [
        MatrixStore,
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as SignalsClientSocket },
        { provide: MATRIX_FRAME, useValue: (flush: () => void) => frames.push(flush) },
      ],
    });
    TestBedStore.store = TestBed.inject(MatrixStore);
    fake.emitLocal('market.snapshot', SNAPSHOT);
  });

  const render = async () => {
    const fixture = TestBed.createComponent(HostComponent);
    await fixture.whenStable();
    return fixture;
  };
  const rows = (root: HTMLElement) =>
    [...root.querySelectorAll<HTMLElement>('.mx-grid .mx-body .row')].map((r) => ({
      symbol: r.dataset['symbol'],
      cells: [...r.querySelectorAll<HTMLElement>('.cell')].map(
        (c) =>
          `${c.querySelector('.n.l')!.textContent}/${c.querySelector('.n.s')!.textContent}@${c.dataset['lvl']}`,
      ),
    }));

  it('renders one row per symbol in the given order, one painted cell per timeframe', async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    expect(rows(root)).toEqual([
      { symbol: 'BTCUSDT', cells: ['90/10@4', '20/10@1'] },
      { symbol: 'ETHUSDT', cells: ['30/10@1', '40/10@2'] },
    ]);
    expect(root.querySelector('.cell')!.getAttribute('aria-label')).toContain(
      'BTCUSDT 5m: long 90, short 10',
    );
  });

  it("keeps a symbol's row element while it stays in the window; one that comes in takes a row that left", async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    const eth = root.querySelector('[data-symbol=ETHUSDT]');
    fixture.componentInstance.order.set(['ETHUSDT', 'BTCUSDT']);
    await fixture.whenStable();
    expect(rows(root)).toEqual([
      { symbol: 'ETHUSDT', cells: ['30/10@1', '40/10@2'] },
      { symbol: 'BTCUSDT', cells: ['90/10@4', '20/10@1'] },
    ]);
    expect(root.querySelector('.mx-body .row')).toBe(eth);
    fixture.componentInstance.order.set(['BTCUSDT']);
    await fixture.whenStable();
    expect(rows(root).map((r) => r.symbol)).toEqual(['BTCUSDT']);
    expect(root.querySelector('[role=table]')!.getAttribute('aria-rowcount')).toBe('2');
    fixture.componentInstance.order.set(['SOLUSDT', 'BTCUSDT']);
    await fixture.whenStable();
    expect(rows(root)).toEqual([
      { symbol: 'SOLUSDT', cells: ['–/–@none', '–/–@none'] },
      { symbol: 'BTCUSDT', cells: ['90/10@4', '20/10@1'] },
    ]);
    expect(root.querySelector('.mx-body .row')).toBe(eth);
    expect(root.querySelector('[data-symbol=SOLUSDT] [role=rowheader]')!.textContent).toBe('SOL');
    expect(root.querySelector('[data-symbol=SOLUSDT] .cell')!.getAttribute('aria-label')).toBe(
      'SOLUSDT 5m: not evaluated yet',
    );
  });

  it('renders only a window of a long order, sized and indexed for the whole of it', async () => {
    const symbols = Array.from({ length: 300 }, (_, i) => `S${String(i).padStart(3, '0')}USDT`);
    const fixture = await render();
    fixture.componentInstance.order.set(symbols);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    // jsdom lays nothing out: the scroller has no height, so the first screenful is shown.
    const shown = rows(root);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    expect(shown[0].symbol).toBe('S000USDT');
    expect(root.querySelector('[role=table]')!.getAttribute('aria-rowcount')).toBe('301');
    expect(root.querySelectorAll('.mx-body .row')[1].getAttribute('aria-rowindex')).toBe('3');
    expect((root.querySelector('.mx-body') as HTMLElement).style.height).toBe(`${300 * ROW_REM}rem`);
  });

  it('computes the window from the scroll offset, with a buffer either side', () => {
    // 400 rows of 44 px, a 660 px scroller scrolled to row 100.
    expect(rowWindow(400, 4400, 660, 44)).toEqual({ first: 94, end: 122 });
    expect(rowWindow(400, 0, 660, 44)).toEqual({ first: 0, end: 22 });
    // Past the end (the order shrank under the offset): the last rows, never an empty window.
    expect(rowWindow(10, 4400, 660, 44)).toEqual({ first: 0, end: 10 });
    expect(rowWindow(400, 1e6, 660, 44)).toEqual({ first: 378, end: 400 });
    expect(rowWindow(0, 0, 660, 44)).toEqual({ first: 0, end: 0 });
    // Nothing measured: a first screenful.
    expect(rowWindow(400, 0, 0, 44)).toEqual({ first: 0, end: 40 });
  });

  it('a tick repaints only its cells, once the frame comes', async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    const others = [...root.querySelectorAll('.cell .n.l')].slice(1).map((n) => n.firstChild);
    fake.emitLocal('market.tick', { seq: 2, cells: [{ ...cell('BTCUSDT', '5m', 5, 95), active: 'SHORT' }] });
    expect(rows(root)[0].cells[0]).toBe('90/10@4');
    frames.splice(0).forEach((f) => f());
    expect(rows(root)[0].cells[0]).toBe('5/95@-4');
    expect((root.querySelector('.cell') as HTMLElement).dataset['active']).toBe('short');
    // The other cells' text nodes were not rewritten.
    expect([...root.querySelectorAll('.cell .n.l')].slice(1).map((n) => n.firstChild)).toEqual(others);
  });

  it('header buttons ask for a sort: values high first, a second click turns it round', async () => {
    const fixture = await render();
    const root = fixture.nativeElement as HTMLElement;
    (root.querySelector('[aria-label="Sort by 1h short confidence"]') as HTMLButtonElement).click();
    expect(fixture.componentInstance.sorts.at(-1)).toEqual({
      field: 'short',
      timeframe: '1h',
      descending: true,
    });
    fixture.componentInstance.sort.set({ field: 'short', timeframe: '1h', descending: true });
    await fixture.whenStable();
    (root.querySelector('[aria-label="Sort by 1h short confidence"]') as HTMLButtonElement).click();
    expect(fixture.componentInstance.sorts.at(-1)).toEqual({
      field: 'short',
      timeframe: '1h',
      descending: false,
    });
  });
});
