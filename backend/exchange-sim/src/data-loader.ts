import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { format8, significantDecimals } from './decimal';
import { KlineInterval, isKlineInterval } from './intervals';
import { KlineSeries, allocateColumns } from './kline-series';

export interface LoadKlinesOptions {
  /** Folder of `<SYMBOL>-<interval>.json` or `.json.gz` files in the GET /api/v3/klines row layout. */
  dataDir: string;
  /** Load only these symbols (default: every file). */
  symbols?: readonly string[];
  /** Load only these intervals (default: every file). */
  intervals?: readonly KlineInterval[];
  /** Added to every open/close time: served time = data time + timeOffset. */
  timeOffset?: number;
}

export interface LoadedSeries {
  series: KlineSeries;
  /** Most decimals any price of the file uses (gives PRICE_FILTER tickSize). */
  priceDecimals: number;
  /** Most decimals any volume of the file uses (gives LOT_SIZE stepSize). */
  quantityDecimals: number;
}

const FILE_PATTERN = /^([A-Z0-9]{1,20})-([0-9]+[smhdwM])\.json(\.gz)?$/;
const PRICE_FIELDS = [1, 2, 3, 4] as const;
const DECIMAL_FIELDS = [1, 2, 3, 4, 5, 7, 9, 10] as const;

export interface KlineFileName {
  file: string;
  symbol: string;
  interval: KlineInterval;
}

export function listKlineFiles(dataDir: string): KlineFileName[] {
  const seen = new Set<string>();
  const files: KlineFileName[] = [];
  for (const file of readdirSync(dataDir).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    const [, symbol, interval] = match;
    if (!symbol || !interval || !isKlineInterval(interval)) continue;
    const key = `${symbol}-${interval}`;
    if (seen.has(key)) continue; // plain and gzip copy of the same series: the first (plain) wins
    seen.add(key);
    files.push({ file, symbol, interval });
  }
  return files;
}

export function loadKlineFolder(options: LoadKlinesOptions): LoadedSeries[] {
  const symbols = options.symbols ? new Set(options.symbols) : undefined;
  const intervals = options.intervals ? new Set<string>(options.intervals) : undefined;
  const offset = options.timeOffset ?? 0;
  return listKlineFiles(options.dataDir)
    .filter((f) => (!symbols || symbols.has(f.symbol)) && (!intervals || intervals.has(f.interval)))
    .map((f) => {
      const raw = readFileSync(join(options.dataDir, f.file));
      const text = (f.file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
      return parseKlineFile(text, f.symbol, f.interval, offset, f.file);
    });
}

export function parseKlineFile(
  text: string,
  symbol: string,
  interval: KlineInterval,
  offset: number,
  source = `${symbol}-${interval}`,
): LoadedSeries {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${source}: expected a JSON array of klines`);
  const rows = parsed as unknown[];
  const cols = allocateColumns(rows.length);
  const formatted = new Array<string>(rows.length);
  let priceDecimals = 0;
  let quantityDecimals = 0;
  let previous = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row) || row.length < 11)
      throw new Error(`${source}: row ${i} is not a 12-field kline`);
    const openTime = Number(row[0]) + offset;
    if (!(openTime > previous)) throw new Error(`${source}: row ${i} open time is not increasing`);
    previous = openTime;
    const out: (string | number)[] = new Array<string | number>(12);
    out[0] = openTime;
    out[6] = Number(row[6]) + offset;
    out[8] = Number(row[8]);
    out[11] = '0';
    for (const field of DECIMAL_FIELDS) out[field] = normalizeDecimal(row[field], source, i);
    for (const field of PRICE_FIELDS)
      priceDecimals = Math.max(priceDecimals, significantDecimals(out[field] as string));
    quantityDecimals = Math.max(quantityDecimals, significantDecimals(out[5] as string));
    cols.openTime[i] = openTime;
    cols.open[i] = Number(out[1]);
    cols.high[i] = Number(out[2]);
    cols.low[i] = Number(out[3]);
    cols.close[i] = Number(out[4]);
    cols.volume[i] = Number(out[5]);
    cols.quoteVolume[i] = Number(out[7]);
    cols.trades[i] = out[8] as number;
    cols.takerBuyBase[i] = Number(out[9]);
    cols.takerBuyQuote[i] = Number(out[10]);
    formatted[i] = JSON.stringify(out);
  }
  return { series: new KlineSeries(symbol, interval, cols, formatted), priceDecimals, quantityDecimals };
}

function normalizeDecimal(value: unknown, source: string, row: number): string {
  if (typeof value === 'string' && value.length - value.indexOf('.') === 9 && value.indexOf('.') > 0)
    return value;
  const n = Number(value);
  if (!Number.isFinite(n))
    throw new Error(`${source}: row ${row} has a non-numeric value ${JSON.stringify(value)}`);
  return format8(n);
}
