import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const HOUR = 3_600_000;
export const MIN15 = 900_000;
/** 2024-01-01T00:00:00Z: first open time of every crafted series. */
export const T0 = Date.UTC(2024, 0, 1);

export interface CraftedCandle {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** 15m candles of AAAUSDT: a smooth wave, 2-decimal prices, volume 1..4. */
export function aaa15m(count: number): CraftedCandle[] {
  const price = (k: number) => r2(100 + 5 * Math.sin(k / 3));
  return Array.from({ length: count }, (_, k) => {
    const open = price(k);
    const close = price(k + 1);
    return {
      openTime: T0 + k * MIN15,
      open,
      close,
      high: r2(Math.max(open, close) + 0.5),
      low: r2(Math.min(open, close) - 0.5),
      volume: 1 + (k % 4),
    };
  });
}

/** Groups candles into `size`-candle buckets the way an exchange aggregates intervals. */
export function aggregate(candles: CraftedCandle[], size: number): CraftedCandle[] {
  const out: CraftedCandle[] = [];
  for (let i = 0; i + size <= candles.length; i += size) {
    const part = candles.slice(i, i + size);
    out.push({
      openTime: part[0]!.openTime,
      open: part[0]!.open,
      close: part[size - 1]!.close,
      high: Math.max(...part.map((c) => c.high)),
      low: Math.min(...part.map((c) => c.low)),
      volume: part.reduce((s, c) => s + c.volume, 0),
    });
  }
  return out;
}

/** 1h candles of BBBUSDT (no finer data): candle i opens at 100+i and closes at 100.5+i. */
export function bbb1h(count: number): CraftedCandle[] {
  return Array.from({ length: count }, (_, i) => ({
    openTime: T0 + i * HOUR,
    open: 100 + i,
    close: 100.5 + i,
    high: 101.5 + i,
    low: 99 + i,
    volume: 10 + i,
  }));
}

export function toBinanceJson(candles: CraftedCandle[], intervalMs: number): string {
  const rows = candles.map((c) =>
    JSON.stringify([
      c.openTime,
      c.open.toFixed(8),
      c.high.toFixed(8),
      c.low.toFixed(8),
      c.close.toFixed(8),
      c.volume.toFixed(8),
      c.openTime + intervalMs - 1,
      (c.volume * c.close).toFixed(8),
      0,
      '0',
      '0',
      '0',
    ]),
  );
  return `[\n${rows.join(',\n')}\n]\n`;
}

export interface CraftedFolder {
  dir: string;
  aaa15m: CraftedCandle[];
  aaa1h: CraftedCandle[];
  bbb1h: CraftedCandle[];
  remove(): void;
}

/** AAAUSDT 15m + 1h over 3 days (1h as .json.gz) and BBBUSDT 1h only, in a temp folder. */
export function writeCraftedFolder(): CraftedFolder {
  const dir = mkdtempSync(join(tmpdir(), 'exchange-sim-'));
  const a15 = aaa15m(72 * 4);
  const a1h = aggregate(a15, 4);
  const b1h = bbb1h(72);
  writeFileSync(join(dir, 'AAAUSDT-15m.json'), toBinanceJson(a15, MIN15));
  writeFileSync(join(dir, 'AAAUSDT-1h.json.gz'), gzipSync(toBinanceJson(a1h, HOUR)));
  writeFileSync(join(dir, 'BBBUSDT-1h.json'), toBinanceJson(b1h, HOUR));
  writeFileSync(join(dir, 'README.md'), 'not a kline file\n');
  return {
    dir,
    aaa15m: a15,
    aaa1h: a1h,
    bbb1h: b1h,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
