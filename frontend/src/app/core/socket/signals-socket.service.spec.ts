import { TestBed } from '@angular/core/testing';
import { SignalsSnapshotPayload } from '@scanner/contracts';
import { FakeSocket } from '@app/testing/fake-socket';
import { FeedMessage } from './feed-message';
import { SignalsSocketService } from './signals-socket.service';
import { SignalsClientSocket, SOCKET_FACTORY } from './socket-factory';

describe('SignalsSocketService', () => {
  let fake: FakeSocket;
  let service: SignalsSocketService;
  let namespaces: string[];
  let messages: FeedMessage[];

  beforeEach(() => {
    fake = new FakeSocket();
    namespaces = [];
    messages = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: SOCKET_FACTORY,
          useValue: (namespace: string) => {
            namespaces.push(namespace);
            return fake as unknown as SignalsClientSocket;
          },
        },
      ],
    });
    service = TestBed.inject(SignalsSocketService);
    service.messages.subscribe((m) => messages.push(m));
  });

  it('connects to the /signals namespace and starts in "connecting"', () => {
    expect(namespaces).toEqual(['/signals']);
    expect(service.state()).toBe('connecting');
  });

  it('tracks connected → reconnecting with attempts → connected', () => {
    fake.emitLocal('connect');
    expect(service.state()).toBe('connected');
    fake.emitLocal('disconnect', 'transport close');
    fake.emitManager('reconnect_attempt', 2);
    expect(service.state()).toBe('reconnecting');
    expect(service.attempt()).toBe(2);
    fake.emitLocal('connect');
    expect(service.state()).toBe('connected');
    expect(service.attempt()).toBe(0);
  });

  it('reconnects explicitly after a server-side disconnect', () => {
    fake.emitLocal('disconnect', 'io server disconnect');
    expect(fake.connectCalls).toBe(1);
  });

  it('goes offline when reconnection gives up', () => {
    fake.emitManager('reconnect_failed');
    expect(service.state()).toBe('offline');
  });

  it('passes the snapshot, changes and status on in arrival order, and marks reconnects', () => {
    const snapshot: SignalsSnapshotPayload = { seq: 7, signals: [] };
    fake.emitLocal('connect');
    fake.emitLocal('signals.snapshot', snapshot);
    fake.emitLocal('signal.deleted', { seq: 8, signal: {} });
    fake.emitLocal('connect');
    expect(messages.map((m) => m.kind)).toEqual(['connected', 'snapshot', 'change', 'connected']);
    expect(messages[0]).toEqual({ kind: 'connected', reconnect: false });
    expect(messages[1]).toEqual({ kind: 'snapshot', payload: snapshot });
    expect(messages[2]).toMatchObject({ kind: 'change', type: 'deleted' });
    expect(messages[3]).toEqual({ kind: 'connected', reconnect: true });
  });

  it('sends resync with the last seq only while connected', () => {
    service.resync(3);
    expect(fake.sent).toEqual([]);
    fake.emitLocal('connect');
    service.resync(3);
    expect(fake.sent).toEqual([{ event: 'resync', args: [{ lastSeq: 3 }] }]);
  });

  it('passes replay progress on as its own stream, not as feed messages', () => {
    const seen: unknown[] = [];
    service.replayProgress.subscribe((p) => seen.push(p));
    const progress = { id: 3, status: 'running', seriesDone: 2, seriesTotal: 8, candles: 4000 };
    fake.emitLocal('replay.progress', progress);
    expect(seen).toEqual([progress]);
    expect(messages).toEqual([]);
  });
});
