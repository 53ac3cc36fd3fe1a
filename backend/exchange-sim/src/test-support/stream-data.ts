import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CraftedCandle, CraftedFolder, T0, toBinanceJson, writeCraftedFolder } from './crafted-data';

export const SECOND = 1000;

/** 1s candles of CCCUSDT from T0: price steps of 0.01, volume 1..5. */
export function ccc1s(count: number): CraftedCandle[] {
  return Array.from({ length: count }, (_, k) => {
    const open = 50 + (k % 50) / 100;
    const close = 50 + ((k + 1) % 50) / 100;
    return {
      openTime: T0 + k * SECOND,
      open,
      close,
      high: Math.max(open, close) + 0.01,
      low: Math.min(open, close) - 0.01,
      volume: 1 + (k % 5),
    };
  });
}

/** The crafted folder (AAAUSDT 15m + 1h, BBBUSDT 1h over 3 days) plus CCCUSDT 1s over its first hour. */
export function writeStreamFolder(): CraftedFolder {
  const folder = writeCraftedFolder();
  writeFileSync(join(folder.dir, 'CCCUSDT-1s.json'), toBinanceJson(ccc1s(3600), SECOND));
  return folder;
}
