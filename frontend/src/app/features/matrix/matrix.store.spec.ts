import { TestBed } from '@angular/core/testing';
import type { MarketMatrixCell, MarketMatrixSnapshot } from '@scanner/contracts';
import { FakeSocket } from '@app/testing/fake-socket';
import { SignalsClientSocket, SOCKET_FACTORY } from '@app/core/socket/socket-factory';
import { MATRIX_FRAME, MatrixStore } from './matrix.store';

const cell = (symbol: string, timeframe: string, long: number | null): MarketMatrixCell => ({
  symbol,
  timeframe,
  long,
  short: long === null ? null : 100 - long,
  active: null,
  trend: null,
  rsi: null,
  close: null,
  asOf: long === null ? null : '2024-08-05T11:59:59.999Z',
});

const snapshot = (seq: number): MarketMatrixSnapshot => ({
  seq,
  symbols: ['BTCUSDT', 'ETHUSDT'],
  timeframes: ['5m', '1h'],
  cells: [
    cell('BTCUSDT', '5m', 10),
    cell('BTCUSDT', '1h', 20),
    cell('ETHUSDT', '5m', 30),
    cell('ETHUSDT', '1h', null),
  ],
  generatedAt: '2024-08-05T12:00:00.000Z',
});

describe('MatrixStore', () => {
  let fake: FakeSocket;
  let store: MatrixStore;
  let frames: (() => void)[];
  let batches: MarketMatrixCell[][];

  beforeEach(() => {
    fake = new FakeSocket();
    frames = [];
    batches = [];
    TestBed.configureTestingModule({
      providers: [
        MatrixStore,
        { provide: SOCKET_FACTORY, useValue: () => fake as unknown as SignalsClientSocket },
        { provide: MATRIX_FRAME, useValue: (flush: () => void) => frames.push(flush) },
      ],
    });
    store = TestBed.inject(MatrixStore);
    store.onCells((cells) => batches.push([...cells]));
  });

  const runFrame = () => frames.splice(0).forEach((f) => f());

  it('subscribes once connected (and again after a reconnect)', () => {
    TestBed.tick();
    expect(fake.sent).toEqual([]);
    fake.emitLocal('connect');
    TestBed.tick();
    expect(fake.sent).toEqual([{ event: 'market.subscribe', args: [] }]);
    fake.emitLocal('disconnect', 'transport close');
    TestBed.tick();
    fake.emitLocal('connect');
    TestBed.tick();
    expect(fake.sent.map((s) => s.event)).toEqual(['market.subscribe', 'market.subscribe']);
  });

  it('takes the snapshot, then applies ticks in order, handing changed cells over once per frame', () => {
    fake.emitLocal('market.snapshot', snapshot(5));
    expect(store.loaded()).toBe(true);
    expect(store.symbols()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(store.cell('ETHUSDT', '5m')?.long).toBe(30);
    batches.length = 0;

    fake.emitLocal('market.tick', { seq: 6, cells: [cell('BTCUSDT', '5m', 11)] });
    fake.emitLocal('market.tick', { seq: 7, cells: [cell('BTCUSDT', '5m', 12), cell('ETHUSDT', '1h', 40)] });
    fake.emitLocal('market.tick', { seq: 7, cells: [cell('BTCUSDT', '5m', 99)] }); // a repeat: ignored
    expect(batches).toEqual([]);
    expect(frames).toHaveLength(1);
    runFrame();
    expect(batches).toEqual([[cell('BTCUSDT', '5m', 12), cell('ETHUSDT', '1h', 40)]]);
    expect(store.cell('BTCUSDT', '5m')?.long).toBe(12);
    expect(store.ticks()).toBe(2);
  });

  it('a hole in the ticks asks for a fresh snapshot and ignores ticks until it comes', () => {
    fake.emitLocal('connect');
    fake.emitLocal('market.snapshot', snapshot(5));
    fake.sent.length = 0;
    fake.emitLocal('market.tick', { seq: 7, cells: [cell('BTCUSDT', '5m', 77)] });
    expect(fake.sent).toEqual([{ event: 'market.subscribe', args: [] }]);
    fake.emitLocal('market.tick', { seq: 8, cells: [cell('BTCUSDT', '5m', 88)] });
    expect(store.cell('BTCUSDT', '5m')?.long).toBe(10);
    fake.emitLocal('market.snapshot', snapshot(8));
    fake.emitLocal('market.tick', { seq: 9, cells: [cell('BTCUSDT', '5m', 99)] });
    expect(store.cell('BTCUSDT', '5m')?.long).toBe(99);
  });

  it('a universe change replaces the symbols and drops the cells of those that left', () => {
    fake.emitLocal('market.snapshot', snapshot(1));
    fake.emitLocal('market.tick', {
      seq: 2,
      symbols: ['ETHUSDT', 'SOLUSDT'],
      cells: [cell('SOLUSDT', '5m', 50), cell('SOLUSDT', '1h', null)],
    });
    expect(store.symbols()).toEqual(['ETHUSDT', 'SOLUSDT']);
    expect(store.cell('BTCUSDT', '5m')).toBeUndefined();
    expect(store.cell('SOLUSDT', '5m')?.long).toBe(50);
  });
});
