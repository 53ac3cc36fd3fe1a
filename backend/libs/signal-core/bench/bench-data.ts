import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseBinanceKlines, type BinanceKline } from '../src/index';

/**
 * Real Binance klines: KLINES_DIR if set, else the shared data set beside the project
 * (../shared/data/klines), else the copy bundled with the exchange simulator (gzipped).
 */
export const KLINES_DIR =
  process.env.KLINES_DIR ??
  [
    resolve(__dirname, '../../../../../shared/data/klines'),
    resolve(__dirname, '../../../exchange-sim/data'),
  ].find((dir) => existsSync(dir)) ??
  '';

/** `file` is `SYMBOL-interval.json`; a `.json.gz` of the same name is read as well. */
export function loadKlines(file: string): BinanceKline[] {
  const plain = join(KLINES_DIR, file);
  const text = existsSync(plain)
    ? readFileSync(plain, 'utf8')
    : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const [symbol, interval] = file.replace(/\.json$/, '').split('-');
  return parseBinanceKlines(JSON.parse(text), { symbol, interval, gaps: 'allow' });
}

export function listKlineFiles(interval: string): string[] {
  if (!KLINES_DIR) throw new Error('no kline data: set KLINES_DIR to a folder of Binance kline JSON files');
  const names = readdirSync(KLINES_DIR)
    .map((f) => f.replace(/\.gz$/, ''))
    .filter((f) => f.endsWith(`-${interval}.json`));
  return [...new Set(names)].sort();
}

/**
 * A long series made of real candles: the source is repeated, each copy scaled so that it opens
 * at the previous copy's last close and shifted in time, so there are no jumps and no gaps. The
 * candles have the parser's shape (quote volume included): the engine then sees one object shape,
 * as it does live and in the backtest CLI, rather than two (which alone costs it several percent).
 */
export function stitch(source: readonly BinanceKline[], length: number): BinanceKline[] {
  const out: BinanceKline[] = [];
  const interval = source[1].openTime - source[0].openTime;
  let scale = 1;
  while (out.length < length) {
    for (const c of source) {
      if (out.length === length) break;
      const openTime = out.length === 0 ? source[0].openTime : out[out.length - 1].openTime + interval;
      out.push({
        openTime,
        closeTime: openTime + interval - 1,
        open: c.open * scale,
        high: c.high * scale,
        low: c.low * scale,
        close: c.close * scale,
        volume: c.volume,
        quoteVolume: c.quoteVolume * scale,
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

/**
 * One line on what the figures were measured on. Benchmarks share the machine, so this samples how
 * busy the CPUs are for half a second before the run (this process sleeping): other work there takes
 * CPU from the run, and its figures come out low.
 */
export function machineLine(): string {
  const total = () =>
    cpus().reduce(
      (sum, cpu) => {
        const t = cpu.times;
        return {
          busy: sum.busy + t.user + t.nice + t.sys + t.irq,
          all: sum.all + t.user + t.nice + t.sys + t.irq + t.idle,
        };
      },
      { busy: 0, all: 0 },
    );
  const before = total();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  const after = total();
  const busy = (after.busy - before.busy) / Math.max(1, after.all - before.all);
  const warning = busy > 0.2 ? ' (other work is using the CPUs: figures will be low)' : '';
  return `Node ${process.version}, ${cpus().length} CPUs, ${Math.round(busy * 100)}% busy before the run${warning}`;
}
