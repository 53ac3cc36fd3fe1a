import WebSocket from 'ws';
import { InvalidStreamMessageError, parseStreamMessage, type StreamMessage } from './kline-stream-message';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/** Streams put in the connection URL; the rest are subscribed with paced SUBSCRIBE messages. */
const URL_STREAMS = 200;
/** Streams per SUBSCRIBE / UNSUBSCRIBE message. */
const PARAMS_PER_MESSAGE = 200;
/** How long a control message may wait for its reply. */
const REPLY_TIMEOUT_MS = 10_000;

export interface StreamConnectionOptions {
  /** BINANCE_WS_URL, e.g. `wss://stream.binance.com:9443`. */
  baseUrl: string;
  /** Control messages per second we send (Binance closes a connection past 5 incoming/s, pongs included). */
  maxMessagesPerSecond: number;
  onMessage: (message: StreamMessage) => void;
  onInvalid: (error: InvalidStreamMessageError) => void;
  onClose: (code: number, reason: string) => void;
  now?: () => number;
}

/**
 * One combined-stream connection (`/stream?streams=a/b`). Control messages are paced so that, with
 * the automatic pong, the connection never sends more than Binance's 5 messages per second; each
 * waits for its `{result, id}` reply. Server pings are answered by the socket library (a pong with the
 * ping's payload), which is what Binance asks for.
 */
export class StreamConnection {
  private socket: WebSocket | null = null;
  private readonly limiter: SlidingWindowLimiter;
  private readonly now: () => number;
  private nextRequestId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private sendChain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Control messages sent since the connection opened (tests, metrics). */
  messagesSent = 0;
  openedAt: number | null = null;

  constructor(private readonly options: StreamConnectionOptions) {
    // A window a little over a second, so network jitter cannot squeeze two windows into one at the exchange.
    this.limiter = new SlidingWindowLimiter(options.maxMessagesPerSecond, 1100);
    this.now = options.now ?? Date.now;
  }

  /** Opens with `streams` (the first ones in the URL, the rest subscribed); resolves once all are subscribed. */
  async open(streams: readonly string[]): Promise<void> {
    const inUrl = streams.slice(0, URL_STREAMS);
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/stream${inUrl.length > 0 ? `?streams=${inUrl.join('/')}` : ''}`;
    const socket = new WebSocket(url, { handshakeTimeout: 10_000, perMessageDeflate: false });
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void =>
        reject(new Error(`stream connection to ${this.options.baseUrl} failed: ${error.message}`));
      socket.once('error', onError);
      socket.once('unexpected-response', (_request, response) => {
        reject(
          new Error(`stream connection to ${this.options.baseUrl} refused: HTTP ${response.statusCode}`),
        );
        socket.terminate();
      });
      socket.once('open', () => {
        socket.off('error', onError);
        resolve();
      });
    });
    this.openedAt = this.now();
    socket.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    socket.on('error', () => undefined);
    socket.once('close', (code, reason) => this.handleClose(code, reason.toString()));
    if (streams.length > URL_STREAMS) await this.subscribe(streams.slice(URL_STREAMS));
  }

  subscribe(streams: readonly string[]): Promise<void> {
    return this.control('SUBSCRIBE', streams);
  }

  unsubscribe(streams: readonly string[]): Promise<void> {
    return this.control('UNSUBSCRIBE', streams);
  }

  get isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Closes the connection on purpose (rotation, universe shrink, shutdown): no reconnect follows. */
  close(): void {
    this.closed = true;
    this.socket?.close(1000, 'client closing');
    this.failPending(new Error('stream connection closed'));
  }

  get closedOnPurpose(): boolean {
    return this.closed;
  }

  private async control(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', streams: readonly string[]): Promise<void> {
    for (let start = 0; start < streams.length; start += PARAMS_PER_MESSAGE) {
      await this.request(method, streams.slice(start, start + PARAMS_PER_MESSAGE));
    }
  }

  /** Sends one control message when the pacing allows, and waits for its reply. */
  private request(method: string, params: readonly string[]): Promise<unknown> {
    const sent = this.sendChain.then(async () => {
      for (;;) {
        const wait = this.limiter.delayAt(this.now());
        if (wait <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const socket = this.socket;
      if (socket === null || socket.readyState !== WebSocket.OPEN)
        throw new Error(`stream connection is not open (${method})`);
      const id = this.nextRequestId++;
      this.limiter.record(this.now());
      this.messagesSent++;
      const reply = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new Error(`${method} got no reply within ${REPLY_TIMEOUT_MS} ms`));
        }, REPLY_TIMEOUT_MS);
        this.pending.set(id, { resolve, reject, timer });
      });
      socket.send(JSON.stringify({ method, params, id }));
      return reply;
    });
    this.sendChain = sent.then(
      () => undefined,
      () => undefined,
    );
    return sent.then((reply) => reply);
  }

  private receive(text: string | null): void {
    if (text === null) return;
    let message: StreamMessage;
    try {
      message = parseStreamMessage(text);
    } catch (error) {
      if (error instanceof InvalidStreamMessageError) this.options.onInvalid(error);
      return;
    }
    if (message.kind === 'reply' || message.kind === 'error') {
      const pending = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
      if (pending !== undefined) {
        clearTimeout(pending.timer);
        this.pending.delete(message.id as number);
        if (message.kind === 'reply') pending.resolve(message.result);
        else pending.reject(new Error(`Binance stream error ${message.code ?? '?'}: ${message.msg}`));
        return;
      }
    }
    this.options.onMessage(message);
  }

  private handleClose(code: number, reason: string): void {
    this.failPending(new Error(`stream connection closed (${code}${reason ? ` ${reason}` : ''})`));
    this.options.onClose(code, reason);
  }

  private failPending(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }
}
