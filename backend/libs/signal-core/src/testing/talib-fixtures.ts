import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Candle } from '../candles/candle.types';
import type { IndicatorSnapshot } from '../indicators/indicator-values.types';

/** Test-only loader for test-fixtures/talib (see scripts/generate-talib-fixtures.js). */
export interface ReferenceSeries {
  readonly begIndex: number;
  readonly values: readonly number[];
}

export interface TalibFixture {
  readonly name: string;
  readonly symbol: string;
  readonly interval: string;
  readonly candles: Candle[];
  readonly talib: Record<keyof IndicatorSnapshot, ReferenceSeries>;
  readonly exactBollinger: Record<'bbUpper' | 'bbMiddle' | 'bbLower', ReferenceSeries>;
}

export const FIXTURE_DIR = join(__dirname, '..', '..', 'test-fixtures', 'talib');

export function loadTalibFixtures(): TalibFixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8'));
      const candles: Candle[] = raw.candles.map(
        (r: [number, string, string, string, string, string, number]) => ({
          openTime: r[0],
          open: Number(r[1]),
          high: Number(r[2]),
          low: Number(r[3]),
          close: Number(r[4]),
          volume: Number(r[5]),
          closeTime: r[6],
        }),
      );
      return { ...raw, name: file.replace(/\.json$/, ''), candles } as TalibFixture;
    });
}
