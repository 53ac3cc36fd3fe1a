import { TestBed } from '@angular/core/testing';
import { SignalsSnapshotPayload } from '@scanner/contracts';
import { SignalsSocketService } from './signals-socket.service';
import { SignalsClientSocket, SOCKET_FACTORY } from './socket-factory';

type Listener = (...args: unknown[]) => void;

/** A minimal stand-in for socket.io-client's Socket and Manager, driven by the test. */
class FakeSocket {
  readonly listeners = new Map<string, Listener[]>();
  readonly managerListeners = new Map<string, Listener[]>();
  active = true;
  connectCalls = 0;
  readonly io = { on: (event: string, listener: Listener) => this.add(this.managerListeners, event, listener) };

  on(event: string, listener: Listener): this {
    this.add(this.listeners, event, listener);
    return this;
  }
  connect(): void {
    this.connectCalls++;
  }
  disconnect(): void {
    this.active = false;
  }
  emitLocal(event: string, ...args: unknown[]): void {
    this.listeners.get(event)?.forEach((listener) => listener(...args));
  }
  emitManager(event: string, ...args: unknown[]): void {
    this.managerListeners.get(event)?.forEach((listener) => listener(...args));
  }
  private add(map: Map<string, Listener[]>, event: string, listener: Listener): this {
    map.set(event, [...(map.get(event) ?? []), listener]);
    return this;
  }
}

describe('SignalsSocketService', () => {
  let fake: FakeSocket;
  let service: SignalsSocketService;
  let namespaces: string[];

  beforeEach(() => {
    fake = new FakeSocket();
    namespaces = [];
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

  it('keeps the snapshot sent on connect', () => {
    const snapshot: SignalsSnapshotPayload = { seq: 7, signals: [] };
    fake.emitLocal('signals.snapshot', snapshot);
    expect(service.snapshot()).toEqual(snapshot);
  });
});
