import { DEFAULT_ENGINE_CONFIG } from '@scanner/signal-core';
import type { DataSource } from 'typeorm';
import type { EngineConfigService } from './engine-config.service';
import { CHANGE_MARKER_CHECK_MS, figuresKey, QualityFiguresCache } from './quality-figures-cache';
import { SignalChangeNotices } from './signal-change-notices';
import { SignalQualityService } from './signal-quality.service';
import { SignalQueryService } from './signal-query.service';
import type { TargetFitService } from './target-fit.service';

const AUG5 = Date.UTC(2024, 7, 5);

/** A closed-signal row as loadClosedSignals reads it. */
const row = (id: string, status: 'TP_HIT' | 'SL_HIT', netR: number, timeframe = '5m') => ({
  id,
  timeframe,
  direction: 'LONG',
  status,
  origin: 'live',
  closed_ms: AUG5 + 60_000,
  outcome_r: netR,
  net_r: netR,
  initial_confidence: 80,
  initial_condition_mask: 0b11,
  scoring_version: 1,
});

/**
 * The database as the quality figures read it: the closed rows (counted: what the cache saves), the
 * active count, and the change marker (the newest create/close event's seq and the oldest close),
 * which a test moves the way another process's commit or purge would.
 */
class FakeDatabase {
  closed = [row('A', 'TP_HIT', 1.5), row('B', 'SL_HIT', -1)];
  active = 1;
  marker = { seq: '10', oldest: '2024-08-05 00:01:00+00' };
  loads = 0;
  markerReads = 0;
  /** When set, a load waits for it (a computation in flight). */
  gate: Promise<void> | null = null;

  query = async (sql: string): Promise<unknown[]> => {
    if (sql.includes('min(closed_at)')) {
      this.markerReads++;
      return [{ ...this.marker }];
    }
    if (sql.includes('AS active')) return [{ active: String(this.active) }];
    if (sql.includes("status <> 'ACTIVE'")) {
      this.loads++;
      const rows = [...this.closed];
      if (this.gate) await this.gate;
      return rows;
    }
    throw new Error(`unexpected query: ${sql}`);
  };
  manager = { query: this.query };
}

function setup() {
  const db = new FakeDatabase();
  const dataSource = db as unknown as DataSource;
  const notices = new SignalChangeNotices();
  const cache = new QualityFiguresCache(dataSource, notices);
  const query = new SignalQueryService(dataSource, cache);
  const quality = new SignalQualityService(
    dataSource,
    { fits: async () => [] } as unknown as TargetFitService,
    { get: async () => DEFAULT_ENGINE_CONFIG } as unknown as EngineConfigService,
    cache,
  );
  return { db, notices, cache, query, quality };
}

describe('QualityFiguresCache (stats, calibration, ablation)', () => {
  let now: number;
  let clock: jest.SpiedFunction<typeof Date.now>;
  beforeEach(() => {
    now = Date.UTC(2026, 11, 2, 12);
    clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => clock.mockRestore());

  it('answers a second identical stats request without reloading the closed rows', async () => {
    const { db, query } = setup();
    const first = await query.stats({ origin: 'all' });
    expect(first.overall.closed).toBe(2);
    expect(first.active).toBe(1);
    expect(db.loads).toBe(1);
    now += 5;
    expect(await query.stats({ origin: 'all' })).toEqual(first);
    expect(db.loads).toBe(1);
  });

  it('keeps one answer per filter and per endpoint', async () => {
    const { db, query, quality } = setup();
    await query.stats({ origin: 'all' });
    await query.stats({ origin: 'all', timeframe: '5m' });
    await query.stats({ origin: 'all', since: new Date(AUG5) });
    expect(db.loads).toBe(3);
    await quality.calibration({ origin: 'all' });
    await quality.ablation({ origin: 'all' });
    expect(db.loads).toBe(5);
    await query.stats({ origin: 'all', since: new Date(AUG5) });
    await query.stats({ timeframe: '5m' }); // origin defaults to all: the same filter
    await quality.calibration({ origin: 'all' });
    await quality.ablation({ origin: 'all' });
    expect(db.loads).toBe(5);
  });

  it("a close or creation in this process invalidates every answer at once; an active signal's update does not", async () => {
    const { db, notices, query, quality } = setup();
    await query.stats({});
    await quality.calibration({});
    expect(db.loads).toBe(2);

    notices.changed(['updated']);
    await query.stats({});
    expect(db.loads).toBe(2);

    db.closed.push(row('C', 'TP_HIT', 2));
    notices.changed(['updated', 'deleted']);
    // Within the marker's second: only the notice says something changed.
    expect((await query.stats({})).overall.closed).toBe(3);
    expect((await quality.calibration({})).closed).toBe(3);
    expect(db.loads).toBe(4);

    db.active = 2;
    notices.changed(['created']);
    expect((await query.stats({})).active).toBe(2);
    expect(db.loads).toBe(5);
  });

  it("another process's close is seen through the change marker, read at most once a second", async () => {
    const { db, query, quality } = setup();
    await query.stats({});
    expect(db.markerReads).toBe(1);

    db.closed.push(row('C', 'SL_HIT', -1));
    db.marker = { ...db.marker, seq: '11' };
    now += CHANGE_MARKER_CHECK_MS - 1;
    expect((await query.stats({})).overall.closed).toBe(2);
    expect(db.markerReads).toBe(1);

    now += 1;
    expect((await query.stats({})).overall.closed).toBe(3);
    expect((await quality.ablation({})).closed).toBe(3);
    expect(db.markerReads).toBe(2);
    expect(db.loads).toBe(3);

    // Unchanged marker a second later: the answers stand.
    now += CHANGE_MARKER_CHECK_MS;
    await query.stats({});
    await quality.ablation({});
    expect(db.markerReads).toBe(3);
    expect(db.loads).toBe(3);
  });

  it('a retention purge elsewhere (the oldest close moves, the newest event does not) invalidates too', async () => {
    const { db, query } = setup();
    await query.stats({});
    db.closed.shift();
    db.marker = { ...db.marker, oldest: '2024-08-05 00:02:00+00' };
    now += CHANGE_MARKER_CHECK_MS;
    expect((await query.stats({})).overall.closed).toBe(1);
    expect(db.loads).toBe(2);
  });

  it('computes once for concurrent identical requests, and never serves a computation begun before a change after it', async () => {
    const { db, notices, query } = setup();
    let open!: () => void;
    db.gate = new Promise((resolve) => (open = resolve));
    const a = query.stats({});
    const b = query.stats({});
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.loads).toBe(1);

    // A close commits while the first computation is still reading.
    notices.changed(['deleted']);
    db.closed.push(row('C', 'TP_HIT', 1));
    const c = query.stats({});
    await new Promise((resolve) => setImmediate(resolve));
    open();
    expect((await a).overall.closed).toBe(2);
    expect((await b).overall.closed).toBe(2);
    expect((await c).overall.closed).toBe(3);
    db.gate = null;
    expect((await query.stats({})).overall.closed).toBe(3);
    expect(db.loads).toBe(2);
  });

  it('does not keep a failed computation', async () => {
    const { db, query } = setup();
    const failing = db.query;
    db.manager.query = async () => {
      throw new Error('connection lost');
    };
    await expect(query.stats({})).rejects.toThrow('connection lost');
    db.manager.query = failing;
    expect((await query.stats({})).overall.closed).toBe(2);
  });

  it('keys a filter by every field the figures read', () => {
    const base = { origin: 'all' as const };
    const keys = new Set(
      [
        base,
        { ...base, timeframe: '5m' },
        { ...base, direction: 'LONG' as const },
        { ...base, since: new Date(AUG5) },
        { ...base, origin: 'live' as const },
        { ...base, scoringVersion: 2 },
      ].map((filter) => figuresKey('stats', filter)),
    );
    expect(keys.size).toBe(6);
    expect(figuresKey('stats', {})).toBe(figuresKey('stats', base));
    expect(figuresKey('calibration', base)).not.toBe(figuresKey('stats', base));
  });
});
