import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { startApp } from '../src/bootstrap';
import { parseEnv } from '../src/config/env-schema';
import { MIGRATIONS } from '../src/database/migrations';
import { UNREACHABLE_EXCHANGE } from './support/test-env';

describe('embedded database (PGlite under DATA_DIR)', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-pglite-'));
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = () => parseEnv({ ...UNREACHABLE_EXCHANGE, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });

  it('migrates at boot and keeps its data across a restart', async () => {
    const first = await startApp(config(), { host: '127.0.0.1' });
    const db = first.app.get(DataSource);
    const tables = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((row: { table_name: string }) => row.table_name)).toEqual(
      expect.arrayContaining([
        'signals',
        'signal_events',
        'candles',
        'market_symbols',
        'engine_states',
        'scan_runs',
        'migrations',
      ]),
    );
    await db.query(`INSERT INTO app_settings (key, value) VALUES ('restart-probe', '{"kept": true}')`);
    await first.close();

    const second = await startApp(config(), { host: '127.0.0.1' });
    try {
      const rows = await second.app
        .get(DataSource)
        .query(`SELECT value FROM app_settings WHERE key = 'restart-probe'`);
      expect(rows).toEqual([{ value: { kept: true } }]);
      // Each migration ran once, on the first boot only.
      const migrations = await second.app.get(DataSource).query('SELECT name FROM migrations ORDER BY id');
      expect(migrations.map((row: { name: string }) => row.name)).toEqual(
        MIGRATIONS.map((migration) => new migration().name),
      );
    } finally {
      await second.close();
    }
  });

  it('keeps rewritten rows inline and uncompressed, and wakes the publishers once per events statement', async () => {
    const app = await startApp(config(), { host: '127.0.0.1' });
    try {
      const db = app.app.get(DataSource);
      // An engine state of about 4 kB (Postgres compresses values past 2 kB by default).
      const state = {
        revision: 1,
        snapshot: { window: Array.from({ length: 300 }, (_, i) => 1000 + i / 7) },
      };
      await db.query(
        `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state, updated_at)
         VALUES ('PROBEUSDT', '5m', 0, $1::jsonb, now())`,
        [JSON.stringify(state)],
      );
      const [row] = await db.query(
        `SELECT pg_column_size(state) AS size, pg_column_compression(state) AS compression
           FROM engine_states WHERE symbol = 'PROBEUSDT'`,
      );
      expect(Number(row.size)).toBeGreaterThan(2_100);
      expect(row.compression).toBeNull();
      const triggers = await db.query(
        `SELECT action_orientation FROM information_schema.triggers WHERE trigger_name = 'signal_events_notify'`,
      );
      expect(triggers).toEqual([{ action_orientation: 'STATEMENT' }]);
    } finally {
      await app.close();
    }
  });

  it('enforces one ACTIVE signal per symbol and timeframe in the database itself', async () => {
    const app = await startApp(config(), { host: '127.0.0.1' });
    try {
      const db = app.app.get(DataSource);
      const insert = (id: string, status: string) =>
        db.query(
          `INSERT INTO signals (id, symbol, timeframe, direction, status, confidence, entry_price, stop_loss, take_profit, risk_reward,
             conditions, indicators, candle_open_time, created_at, updated_at, initial_confidence, initial_condition_mask, origin)
           VALUES ($1, 'BTCUSDT', '5m', 'LONG', $2, 75, 100, 97, 105, 1.6667, '[]', '{}', now(), now(), now(), 75, 0, 'live')`,
          [id, status],
        );
      await insert('a', 'ACTIVE');
      await insert('b', 'TP_HIT');
      await expect(insert('c', 'ACTIVE')).rejects.toThrow(/signals_one_active_idx/);
    } finally {
      await app.close();
    }
  });
});
