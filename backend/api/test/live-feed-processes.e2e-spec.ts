import { SocketEvents } from '@scanner/contracts';
import { Client } from 'pg';
import { RunningApp, startApp } from '../src/bootstrap';
import { FeedClientModel } from './support/feed-client';
import { describeWithRedis } from './support/redis-suite';
import { pgClientTransactions, SignalEventWriter } from './support/signal-event-writer';
import { createTestEnvironment, TestEnvironment } from './support/test-env';

describeWithRedis(
  'live feed across processes: two api processes, events committed by a third connection',
  () => {
    let environment: TestEnvironment;
    let first: RunningApp;
    let second: RunningApp;
    let worker: Client;
    let writer: SignalEventWriter;
    const clients: FeedClientModel[] = [];

    beforeAll(async () => {
      environment = await createTestEnvironment();
      // One after the other: the first runs the migrations the second finds applied.
      first = await startApp(environment.config({ APP_ROLE: 'api' }), { host: '127.0.0.1' });
      second = await startApp(environment.config({ APP_ROLE: 'api' }), { host: '127.0.0.1' });
      worker = new Client({ connectionString: environment.env.DATABASE_URL });
      await worker.connect();
      writer = new SignalEventWriter(pgClientTransactions(worker));
    });

    afterAll(async () => {
      clients.forEach((client) => client.close());
      await worker?.end();
      await Promise.all([first?.close(), second?.close()]);
      await environment?.cleanup();
    });

    it('each api process delivers every event, in order, to its own clients', async () => {
      const viaFirst = new FeedClientModel(first.url as string);
      const viaSecond = new FeedClientModel(second.url as string);
      clients.push(viaFirst, viaSecond);
      await Promise.all([viaFirst.ready(), viaSecond.ready()]);

      const created = await writer.create();
      const updated = await writer.update(created.signal);
      const deleted = await writer.close(updated.signal, 'EXPIRED');
      await Promise.all([viaFirst.reached(deleted.seq, 5_000), viaSecond.reached(deleted.seq, 5_000)]);

      for (const client of [viaFirst, viaSecond]) {
        expect(client.changes.map((change) => [change.event, change.seq])).toEqual([
          [SocketEvents.created, created.seq],
          [SocketEvents.updated, updated.seq],
          [SocketEvents.deleted, deleted.seq],
        ]);
        expect(client.changes[2].signal).toEqual(deleted.signal);
        expect(client.stale).toEqual([]);
      }
    });

    it('wakes on NOTIFY rather than the poll: delivery well under the poll interval', async () => {
      const client = new FeedClientModel(second.url as string);
      clients.push(client);
      await client.ready();
      const latencies: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        const committed = Date.now();
        const event = await writer.create();
        await client.reached(event.seq, 5_000);
        latencies.push(Date.now() - committed);
      }
      latencies.sort((a, b) => a - b);
      expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(300);
    });
  },
);
