import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBinanceKlines, type Candle } from '../src/index';

/** Real Binance klines (../shared/data/klines); override with KLINES_DIR. */
export const KLINES_DIR = process.env.KLINES_DIR ?? resolve(__dirname, '../../../../../shared/data/klines');

export function loadKlines(file: string): Candle[] {
  return parseBinanceKlines(JSON.parse(readFileSync(join(KLINES_DIR, file), 'utf8')));
}

export function listKlineFiles(interval: string): string[] {
  return readdirSync(KLINES_DIR).filter((f) => f.endsWith(`-${interval}.json`)).sort();
}

/**
 * A long series made of real candles: the source is repeated, each copy scaled so that it opens
 * at the previous copy's last close and shifted in time, so there are no jumps and no gaps.
 */
export function stitch(source: readonly Candle[], length: number): Candle[] {
  const out: Candle[] = [];
  const interval = source[1].openTime - source[0].openTime;
  let scale = 1;
  while (out.length < length) {
    for (const c of source) {
      if (out.length === length) break;
      const openTime = (out.length === 0 ? source[0].openTime : out[out.length - 1].openTime + interval);
      out.push({
        openTime,
        closeTime: openTime + interval - 1,
        open: c.open * scale,
        high: c.high * scale,
        low: c.low * scale,
        close: c.close * scale,
        volume: c.volume,
      });
    }
    scale = out[out.length - 1].close / source[0].open;
  }
  return out;
}

export function time(fn: () => void, runs = 5): number {
  fn(); // warm-up (JIT)
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}
