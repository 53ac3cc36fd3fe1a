import { SocketEvents } from '@scanner/contracts';
import type { Signal } from '@scanner/contracts';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { LiveFeed } from '../src/gateway/live-feed';
import { OutboxEvent } from '../src/gateway/outbox-event';
import { SignalEntity } from '../src/signal-engine/entities/signal.entity';
import { toWireSignal } from '../src/signal-engine/signal.mapper';
import { FeedClientModel } from './support/feed-client';
import {
  dataSourceTransactions,
  makeSignal,
  SignalEventWriter,
  WrittenEvent,
} from './support/signal-event-writer';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const byId = (a: Signal, b: Signal) => a.id.localeCompare(b.id);

/**
 * Fault injection at the publisher's outlet, the LiveFeed it hands each batch read from the outbox to:
 * `before` may throw, as a process failing between commit and broadcast would.
 */
function failBroadcasts(running: RunningApp, before: (events: readonly OutboxEvent[]) => void) {
  const feed = running.app.get(LiveFeed);
  const publish = feed.publish.bind(feed);
  return jest.spyOn(feed, 'publish').mockImplementation((events) => {
    before(events);
    publish(events);
  });
}

describe('live feed on /signals: durable, ordered, resumable', () => {
  let environment: TestEnvironment;
  let running: RunningApp;
  let db: DataSource;
  let writer: SignalEventWriter;
  const clients: FeedClientModel[] = [];

  const start = async () => {
    running = await startApp(environment.config(), { host: '127.0.0.1' });
    db = running.app.get(DataSource);
    writer = new SignalEventWriter(dataSourceTransactions(db));
  };
  const connect = () => {
    const client = new FeedClientModel(running.url as string);
    clients.push(client);
    return client;
  };
  const storedActive = async () =>
    (await db.getRepository(SignalEntity).find({ where: { status: 'ACTIVE' } })).map(toWireSignal).sort(byId);
  const storedSeqsAfter = async (seq: number) =>
    (
      (await db.query('SELECT seq FROM signal_events WHERE seq > $1 ORDER BY seq', [seq])) as Array<{
        seq: string;
      }>
    ).map((row) => Number(row.seq));

  /** A mix of creates, updates and closes over the signals it opened; one rolled-back event leaves a hole. */
  const stream = async (count: number, pauseMs: number, open: Signal[]) => {
    for (let i = 0; i < count; i += 1) {
      let written: WrittenEvent;
      if (i === Math.floor(count / 2)) {
        await db
          .transaction(async (manager) => {
            const doomed = makeSignal();
            await manager.query('SELECT pg_advisory_xact_lock(7100001)');
            await manager.query(
              `INSERT INTO signals (id, symbol, timeframe, direction, status, confidence, entry_price, stop_loss,
              take_profit, risk_reward, conditions, indicators, candle_open_time, created_at, updated_at,
              initial_confidence, initial_condition_mask, origin)
              VALUES ($1, $2, '5m', 'LONG', 'ACTIVE', 70, 1, 0.5, 2, 2, '[]', '{}', now(), now(), now(), 70, 0, 'live')`,
              [doomed.id, doomed.symbol],
            );
            await manager.query(
              `INSERT INTO signal_events (signal_id, type, payload) VALUES ($1, 'created', '{}')`,
              [doomed.id],
            );
            throw new Error('rolled back on purpose');
          })
          .catch(() => undefined);
      }
      if (open.length < 4 || i % 3 === 0) {
        written = await writer.create();
        open.push(written.signal);
      } else if (i % 3 === 1) {
        const index = i % open.length;
        written = await writer.update(open[index]);
        open[index] = written.signal;
      } else {
        const [closing] = open.splice(i % open.length, 1);
        written = await writer.close(closing, i % 2 === 0 ? 'TP_HIT' : 'SL_HIT');
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  };

  beforeAll(async () => {
    environment = await createTestEnvironment({ redis: false });
    await start();
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.close());
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  it('delivers created → updated → deleted in order with increasing seq, exactly as stored', async () => {
    const client = connect();
    await client.ready();
    const created = await writer.create();
    const updated = await writer.update(created.signal, { stopLoss: created.signal.stopLoss + 1 });
    const deleted = await writer.close(updated.signal, 'TP_HIT');
    await client.reached(deleted.seq);

    expect(client.changes.map((change) => change.event)).toEqual([
      SocketEvents.created,
      SocketEvents.updated,
      SocketEvents.deleted,
    ]);
    expect(client.changes.map((change) => change.seq)).toEqual([created.seq, updated.seq, deleted.seq]);
    expect(created.seq < updated.seq && updated.seq < deleted.seq).toBe(true);
    const stored = (await db.query(
      'SELECT seq, payload FROM signal_events WHERE signal_id = $1 ORDER BY seq',
      [created.signal.id],
    )) as Array<{
      seq: string;
      payload: Signal;
    }>;
    expect(client.changes.map((change) => change.signal)).toEqual(stored.map((row) => row.payload));
    const row = await db.getRepository(SignalEntity).findOneByOrFail({ id: created.signal.id });
    expect(client.changes[2].signal).toEqual(toWireSignal(row));
    expect(client.changes[2].signal).toMatchObject({
      status: 'TP_HIT',
      exitPrice: created.signal.takeProfit,
    });
    expect(client.stale).toEqual([]);
  });

  it('a client connecting mid-burst gets a snapshot, then every later change exactly once', async () => {
    const open: Signal[] = [];
    const burst = stream(80, 5, open);
    await sleep(150);
    const client = connect();
    const snapshot = await client.ready();
    await burst;
    const seqs = await storedSeqsAfter(snapshot.seq);
    await client.reached(seqs.at(-1) ?? snapshot.seq);
    expect(client.changes.map((change) => change.seq)).toEqual(seqs);
    expect(client.stale).toEqual([]);
    expect(client.sortedActive()).toEqual(await storedActive());
  });

  it('a client away for 10 s while 100 changes stream in resyncs to exactly the server state, nothing applied twice', async () => {
    const open: Signal[] = [];
    for (let i = 0; i < 6; i += 1) open.push((await writer.create()).signal);
    const client = connect();
    await client.ready();
    const before = await storedSeqsAfter(0);
    await client.reached(before.at(-1) as number);

    client.socket.disconnect();
    const lastSeq = client.seq;
    const away = Date.now();
    await stream(100, 95, open);
    expect(Date.now() - away).toBeGreaterThanOrEqual(9_500);

    // Reconnect and resync at once, while more changes keep coming. Whether the resync replaces the
    // connect snapshot or follows it, the client must end exactly at the server's state.
    const appliedBefore = client.applied.length;
    const snapshotsBefore = client.snapshots.length;
    client.socket.once('connect', () => client.socket.emit(SocketEvents.resync, { lastSeq }));
    client.socket.connect();
    await stream(20, 10, open);
    const expected = await storedSeqsAfter(lastSeq);
    await client.reached(expected.at(-1) as number);

    // Whether the resync replaced the connect snapshot or came after it (then replaying changes the
    // snapshot already holds, which the client skips), every change after the state the client holds
    // is applied exactly once, in order, and it ends at the server's active set.
    const snapshot = client.snapshots.slice(snapshotsBefore).at(-1);
    const base = snapshot?.seq ?? lastSeq;
    const applied = client.applied.slice(appliedBefore).filter((seq) => seq > base);
    expect(applied).toEqual(expected.filter((seq) => seq > base));
    expect(new Set(client.applied).size).toBe(client.applied.length);
    expect(client.sortedActive()).toEqual(await storedActive());
  }, 300_000);

  it('answers resync with the events after lastSeq, in order, as the normal change events', async () => {
    const client = connect();
    await client.ready();
    const from = client.seq;
    const first = await writer.create();
    const second = await writer.update(first.signal);
    const third = await writer.close(second.signal, 'INVALIDATED');
    await client.reached(third.seq);
    const live = client.changes.length;

    client.socket.emit(SocketEvents.resync, { lastSeq: from });
    await eventually(async () => client.changes.length === live + 3, 5_000, 'the replayed events');
    const next = await writer.create();
    await client.reached(next.seq);

    const replayed = client.changes.slice(live);
    expect(replayed.map((change) => [change.event, change.seq])).toEqual([
      [SocketEvents.created, first.seq],
      [SocketEvents.updated, second.seq],
      [SocketEvents.deleted, third.seq],
      [SocketEvents.created, next.seq],
    ]);
    expect(replayed.slice(0, 3).map((change) => change.signal)).toEqual([
      first.signal,
      second.signal,
      third.signal,
    ]);
    expect(client.snapshots).toHaveLength(1);
  });

  it('answers resync with a snapshot when lastSeq is beyond the log or its event is older than the kept window', async () => {
    const client = connect();
    await client.ready();
    const first = await writer.create();
    await writer.create();
    await client.reached(first.seq + 1);

    client.socket.emit(SocketEvents.resync, { lastSeq: 1_000_000_000 });
    await eventually(
      async () => client.snapshots.length === 2,
      5_000,
      'a snapshot for a lastSeq beyond the log',
    );
    expect(client.snapshots[1].seq).toBe(client.seq);

    await db.query(`UPDATE signal_events SET recorded_at = now() - interval '2 days' WHERE seq = $1`, [
      first.seq,
    ]);
    client.socket.emit(SocketEvents.resync, { lastSeq: first.seq });
    await eventually(
      async () => client.snapshots.length === 3,
      5_000,
      'a snapshot for a lastSeq out of the window',
    );
    expect(client.snapshots[2].signals.sort(byId)).toEqual(await storedActive());
  });

  it('ignores malformed resync requests and any other client event', async () => {
    const client = connect();
    await client.ready();
    const before = client.changes.length;
    for (const request of [
      null,
      'x',
      {},
      { lastSeq: -1 },
      { lastSeq: 1.5 },
      { lastSeq: '3' },
      { lastSeq: Number.MAX_VALUE },
    ]) {
      client.socket.emit(SocketEvents.resync, request);
    }
    client.socket.emit('signal.created', { seq: 1, signal: {} });
    client.socket.emit('anything', 1, 2, 3);
    client.socket.emit(SocketEvents.resync, { lastSeq: client.seq });
    await sleep(300);
    const next = await writer.create();
    await client.reached(next.seq);
    expect(client.snapshots).toHaveLength(1);
    expect(client.changes.slice(before).map((change) => change.seq)).toEqual([next.seq]);
    expect(client.socket.connected).toBe(true);
  });

  it('sends scanner.status from stored scans and settings on connect, and again within 30 s', async () => {
    await db.query(
      `INSERT INTO scan_runs (trigger, status, started_at, finished_at, duration_ms, symbols)
       VALUES ('cron', 'ok', '2024-08-05T10:00:00Z', '2024-08-05T10:00:04.5Z', 4500, 48),
              ('cron', 'failed', '2024-08-05T09:59:00Z', '2024-08-05T09:59:01Z', 1000, 48)`,
    );
    await db.query(
      `INSERT INTO app_settings (key, value) VALUES ('scanner-paused', 'true') ON CONFLICT (key) DO UPDATE SET value = 'true'`,
    );
    const client = connect();
    await client.ready();
    const status = await eventually(async () => client.statuses[0], 5_000, 'the first status');
    expect(status).toMatchObject({
      state: 'paused',
      paused: true,
      lastScanAt: '2024-08-05T10:00:04.500Z',
      lastScanDurationMs: 4500,
      symbols: 48,
      activeSignals: (await storedActive()).length,
      exchangeBackoff: false,
      pauseUntil: null,
    });
    await db.query(`DELETE FROM app_settings WHERE key = 'scanner-paused'`);
    const resumedAt = Date.now();
    const later = await eventually(
      async () => client.statuses.find((status) => Date.parse(status.serverTime) > resumedAt),
      20_000,
      'a periodic status',
    );
    expect(later).toMatchObject({ state: 'idle', paused: false, lastScanAt: '2024-08-05T10:00:04.500Z' });
  }, 300_000);

  it('an event whose broadcast failed after its commit goes out on the next attempt', async () => {
    const client = connect();
    await client.ready();
    let failures = 0;
    const broadcast = failBroadcasts(running, () => {
      if (failures++ < 2) throw new Error('injected: died between commit and broadcast');
    });
    try {
      const event = await writer.create();
      await client.reached(event.seq, 10_000);
      expect(failures).toBeGreaterThanOrEqual(3);
      expect(client.changes.filter((change) => change.seq === event.seq)).toHaveLength(1);
    } finally {
      broadcast.mockRestore();
    }
  });

  it('after the api dies between commit and broadcast, the restarted api gives the client what it missed', async () => {
    const client = connect();
    await client.ready();
    const seen = await writer.create();
    await client.reached(seen.seq);

    failBroadcasts(running, () => {
      throw new Error('injected: the process dies before broadcasting');
    });
    const missed = [await writer.create(), await writer.create(), await writer.close(seen.signal, 'SL_HIT')];
    await sleep(1_500);
    expect(client.seq).toBe(seen.seq);
    await running.close();
    await eventually(async () => !client.socket.connected, 5_000, 'the disconnect');

    await start();
    const resumed = connect();
    resumed.ignoreSnapshots = true;
    resumed.seq = client.seq;
    for (const signal of client.active.values()) resumed.active.set(signal.id, signal);
    resumed.socket.once('connect', () => resumed.socket.emit(SocketEvents.resync, { lastSeq: client.seq }));
    await resumed.reached(missed[2].seq);
    expect(resumed.changes.map((change) => change.seq)).toEqual(missed.map((event) => event.seq));
    expect(resumed.sortedActive()).toEqual(await storedActive());
    // A client that just reconnects gets the same state from its snapshot.
    const fresh = connect();
    const snapshot = await fresh.ready();
    expect(snapshot.seq).toBe(missed[2].seq);
    expect(snapshot.signals.sort(byId)).toEqual(await storedActive());
  });
});
