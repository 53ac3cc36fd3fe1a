import type { Signal, SignalsSnapshotPayload } from '@scanner/contracts';
import { FeedClient, SyncAnswer } from './feed-session';
import { LiveFeed } from './live-feed';
import { OutboxEvent } from './outbox-event';

const event = (seq: number): OutboxEvent => ({ seq, type: 'updated', signal: { id: `s${seq}` } as Signal });

/** A socket stand-in recording what it was sent, directly or through the live-room broadcast. */
class FakeClient implements FeedClient {
  live = false;
  readonly received: Array<number | string> = [];
  sendEvent(sent: OutboxEvent): void {
    this.received.push(sent.seq);
  }
  sendSnapshot(snapshot: SignalsSnapshotPayload): void {
    this.received.push(`snapshot@${snapshot.seq}`);
  }
  joinLive(): void {
    this.live = true;
  }
  leaveLive(): void {
    this.live = false;
  }
}

function deferred(): { promise: Promise<SyncAnswer>; resolve: (answer: SyncAnswer) => void } {
  let resolve!: (answer: SyncAnswer) => void;
  const promise = new Promise<SyncAnswer>((done) => (resolve = done));
  return { promise, resolve };
}

const snapshotAt = (seq: number): SyncAnswer => ({ kind: 'snapshot', snapshot: { seq, signals: [] } });

describe('FeedSession with LiveFeed', () => {
  let feed: LiveFeed;
  let clients: FakeClient[];

  beforeEach(() => {
    feed = new LiveFeed();
    clients = [];
    feed.bindBroadcast((published) =>
      clients.filter((client) => client.live).forEach((client) => client.sendEvent(published)),
    );
  });

  const open = () => {
    const client = new FakeClient();
    clients.push(client);
    return { client, session: feed.open(client) };
  };

  it('buffers events published while the snapshot query runs and drops those the snapshot holds', async () => {
    feed.startFrom(10);
    const { client, session } = open();
    const query = deferred();
    const done = session.sync(() => query.promise);
    feed.publish([event(11), event(12)]);
    query.resolve(snapshotAt(11));
    await done;
    feed.publish([event(13)]);
    expect(client.received).toEqual(['snapshot@11', 12, 13]);
    expect(client.live).toBe(true);
  });

  it('stays out of the live room until the publisher reaches the snapshot, without duplicates', async () => {
    feed.startFrom(10);
    const { client, session } = open();
    // The snapshot saw commits up to 14 that this process has not published yet.
    await session.sync(async () => snapshotAt(14));
    expect(client.live).toBe(false);
    feed.publish([event(11), event(12), event(13), event(14)]);
    expect(client.live).toBe(true);
    feed.publish([event(15)]);
    expect(client.received).toEqual(['snapshot@14', 15]);
  });

  it('a resync arriving while the connect snapshot is in flight replaces it', async () => {
    feed.startFrom(20);
    const { client, session } = open();
    const snapshot = deferred();
    const first = session.sync(() => snapshot.promise);
    const second = session.sync(async () => ({ kind: 'events', events: [event(18), event(20)], seq: 21 }));
    feed.publish([event(21), event(22)]);
    snapshot.resolve(snapshotAt(22));
    await Promise.all([first, second]);
    expect(client.received).toEqual([18, 20, 22]);
    expect(client.live).toBe(true);
  });

  it('a resync from a live client replays what was asked, then continues without repeating', async () => {
    feed.startFrom(5);
    const { client, session } = open();
    await session.sync(async () => snapshotAt(5));
    feed.publish([event(6), event(7)]);
    await session.sync(async () => ({ kind: 'events', events: [event(6), event(7)], seq: 7 }));
    feed.publish([event(8)]);
    expect(client.received).toEqual(['snapshot@5', 6, 7, 6, 7, 8]);
  });

  it('sends nothing to a session closed while its query ran', async () => {
    feed.startFrom(0);
    const { client, session } = open();
    const query = deferred();
    const done = session.sync(() => query.promise);
    feed.close(session);
    query.resolve(snapshotAt(3));
    await done;
    feed.publish([event(4)]);
    expect(client.received).toEqual([]);
  });
});
