import { ClientOptions, WebSocket } from 'ws';

export interface KlinePayload {
  e: 'kline';
  E: number;
  s: string;
  k: {
    t: number;
    T: number;
    s: string;
    i: string;
    f: number;
    L: number;
    o: string;
    c: string;
    h: string;
    l: string;
    v: string;
    n: number;
    x: boolean;
    q: string;
    V: string;
    Q: string;
    B: string;
  };
}

export interface Closed {
  code: number;
  reason: string;
}

/** A real `ws` client that queues every message, ping and close for the specs to await. */
export class TestStreamClient {
  readonly messages: unknown[] = [];
  readonly pings: string[] = [];
  readonly closed: Promise<Closed>;
  private waiters: (() => void)[] = [];
  private cursor = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('ping', (data) => {
      this.pings.push(data.toString());
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, options?: ClientOptions): Promise<TestStreamClient> {
    const ws = new WebSocket(url, options);
    const client = new TestStreamClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          reject(
            Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), {
              status: res.statusCode,
              body,
              headers: res.headers,
            }),
          ),
        );
      });
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends a control message and resolves with the reply carrying the same id. */
  async request(message: { id: unknown } & Record<string, unknown>): Promise<Record<string, unknown>> {
    const seen = this.messages.length;
    this.send(message);
    return (await this.next(
      (m) => isRecord(m) && m.id === message.id && ('result' in m || 'error' in m),
      2000,
      seen,
    )) as Record<string, unknown>;
  }

  /** The next message (after those already taken) matching `match`; rejects after `timeoutMs`. */
  async next(match: (m: unknown) => boolean = () => true, timeoutMs = 2000, from?: number): Promise<unknown> {
    if (from !== undefined) this.cursor = Math.max(this.cursor, from);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.messages.length) {
        const m = this.messages[this.cursor++];
        if (match(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-3))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  nextKline(timeoutMs = 2000): Promise<KlinePayload> {
    return this.next((m) => isKline(m), timeoutMs) as Promise<KlinePayload>;
  }

  /** Every kline event so far, unwrapped from `{stream, data}` on combined streams. */
  klines(): KlinePayload[] {
    return this.messages.map((m) => (isRecord(m) && 'stream' in m ? m.data : m)).filter(isKline);
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export function isRecord(m: unknown): m is Record<string, unknown> {
  return typeof m === 'object' && m !== null;
}

export function isKline(m: unknown): m is KlinePayload {
  return isRecord(m) && m.e === 'kline';
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition` holds (checked every 10 ms); rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await sleep(10);
  }
}
