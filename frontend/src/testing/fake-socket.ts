type Listener = (...args: unknown[]) => void;

/** A minimal stand-in for socket.io-client's Socket and Manager, driven by the test. */
export class FakeSocket {
  readonly listeners = new Map<string, Listener[]>();
  readonly managerListeners = new Map<string, Listener[]>();
  readonly sent: { event: string; args: unknown[] }[] = [];
  active = true;
  connected = false;
  connectCalls = 0;
  readonly io = {
    on: (event: string, listener: Listener) => this.add(this.managerListeners, event, listener),
  };

  on(event: string, listener: Listener): this {
    this.add(this.listeners, event, listener);
    return this;
  }
  emit(event: string, ...args: unknown[]): this {
    this.sent.push({ event, args });
    return this;
  }
  connect(): void {
    this.connectCalls++;
  }
  disconnect(): void {
    this.active = false;
  }
  /** Server → client event (or a lifecycle event such as 'connect'). */
  emitLocal(event: string, ...args: unknown[]): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
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
