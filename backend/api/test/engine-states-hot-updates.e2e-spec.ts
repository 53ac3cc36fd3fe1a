import type { DataSource, QueryRunner } from 'typeorm';
import { EngineStatesHotUpdates1733190000000 } from '../src/database/migrations/1733190000000-engine-states-hot-updates';
import { migrateFrom, suiteDatabaseBefore } from './support/migration-step';

const SERIES = 200;
/** Numbers per state: about 3.2 kB stored, the size of a state with an active signal. */
const VALUES = 120;

/** A state of about the size a real one has, different per series and revision. */
function state(series: number, revision: number): string {
  const values: Record<string, number> = {};
  for (let i = 0; i < VALUES; i++) values[`v${i}`] = series * 1_000 + revision + i / 7;
  return JSON.stringify({ revision, snapshot: { lastOpenTime: revision, values } });
}

async function hotUpdates(runner: QueryRunner): Promise<number> {
  const [row] = await runner.query(
    `SELECT pg_stat_get_xact_tuples_hot_updated('engine_states'::regclass)::int AS hot`,
  );
  return row.hot;
}

/** Rewrites every engine state, as a close instant does; returns how many rows were updated in-page. */
async function updateAll(db: DataSource, revision: number): Promise<number> {
  const runner: QueryRunner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    // The backend's counts not yet reported include earlier transactions': the difference is this one's.
    const before = await hotUpdates(runner);
    for (let i = 0; i < SERIES; i++)
      await runner.query(
        `UPDATE engine_states SET state = $2, last_candle_open_time = $3, updated_at = now()
          WHERE symbol = $1 AND timeframe = '1h'`,
        [`S${i}USDT`, state(i, revision), revision],
      );
    const hot = (await hotUpdates(runner)) - before;
    await runner.commitTransaction();
    return hot;
  } finally {
    await runner.release();
  }
}

describe('migration 1733190000000-engine-states-hot-updates: states as json, with room to be rewritten in their page', () => {
  const migratedUpTo = suiteDatabaseBefore(EngineStatesHotUpdates1733190000000);

  it('keeps every stored state (as json) and makes the next rewrite of each an in-page (HOT) update', async () => {
    const db = await migratedUpTo();
    for (let i = 0; i < SERIES; i++)
      await db.query(
        `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state) VALUES ($1, '1h', 1, $2)`,
        [`S${i}USDT`, state(i, 1)],
      );
    // Before: rows packed as inserted, no room beside them.
    expect(await updateAll(db, 2)).toBe(0);

    await migrateFrom(db, EngineStatesHotUpdates1733190000000);

    const [options] = await db.query(`SELECT reloptions FROM pg_class WHERE relname = 'engine_states'`);
    expect(options.reloptions).toEqual(expect.arrayContaining(['fillfactor=50', 'toast_tuple_target=8160']));
    const [column] = await db.query(
      `SELECT data_type FROM information_schema.columns WHERE table_name = 'engine_states' AND column_name = 'state'`,
    );
    expect(column.data_type).toBe('json');
    const rows: { symbol: string; revision: string; last: string }[] = await db.query(
      `SELECT symbol, state->>'revision' AS revision, last_candle_open_time AS last FROM engine_states ORDER BY symbol`,
    );
    expect(rows).toHaveLength(SERIES);
    expect(rows.every((row) => row.revision === '2' && Number(row.last) === 2)).toBe(true);

    // After: every rewrite stays in its page, and the next one too (the old versions are pruned in place).
    expect(await updateAll(db, 3)).toBe(SERIES);
    expect(await updateAll(db, 4)).toBe(SERIES);
    const [after] = await db.query(
      `SELECT count(*)::int AS n, min(state->>'revision') AS low, max(state->>'revision') AS high FROM engine_states`,
    );
    expect(after).toEqual({ n: SERIES, low: '4', high: '4' });

    // Rows stored after the migration get the room from their first insert.
    await db.query(`DELETE FROM engine_states`);
    for (let i = 0; i < SERIES; i++)
      await db.query(
        `INSERT INTO engine_states (symbol, timeframe, last_candle_open_time, state) VALUES ($1, '1h', 1, $2)`,
        [`S${i}USDT`, state(i, 1)],
      );
    expect(await updateAll(db, 2)).toBe(SERIES);
  });
});
