import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config';
import { EmbeddedDatabase } from '../../database';

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

/**
 * `LISTEN <channel>`: wakes a subscriber when any process (this one included) commits what the
 * channel's trigger signals. On Postgres a dedicated connection (a pooled one would lose the LISTEN when
 * handed back), reconnected with backoff; on PGlite the embedded instance's own `listen()`. Only a
 * latency optimisation: subscribers also poll, so a dropped connection delays what they read, never
 * loses it.
 */
export abstract class PostgresChannelListener {
  private readonly logger = new Logger(this.constructor.name);
  private client: Client | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = RECONNECT_MIN_MS;
  private stopped = false;
  private wake: () => void = () => {};

  protected constructor(
    /** The NOTIFY channel. */
    private readonly channel: string,
    /** The dedicated connection's application_name (what pg_stat_activity shows). */
    private readonly applicationName: string,
    private readonly config: AppConfig,
    private readonly embedded: EmbeddedDatabase,
    private readonly dataSource: DataSource,
  ) {}

  async start(wake: () => void): Promise<void> {
    this.wake = wake;
    this.stopped = false;
    if (this.config.databaseUrl !== null) await this.connect(this.config.databaseUrl);
    else await this.listenEmbedded();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    const unlisten = this.unlisten;
    this.unlisten = null;
    if (unlisten) await this.holdingEmbeddedSession(unlisten).catch(() => undefined);
  }

  private async connect(url: string): Promise<void> {
    const client = new Client({ connectionString: url, application_name: this.applicationName });
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    // Whatever was committed while nobody listened.
    this.wake();
  }

  private lost(client: Client, error: Error): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    if (this.client !== null && this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.logger.warn(
      `LISTEN ${this.channel} lost (${error.message}); polling until it is back, retry in ${this.reconnectDelay} ms`,
    );
    const url = this.config.databaseUrl as string;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect(url);
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private async listenEmbedded(): Promise<void> {
    const db = this.embedded.db;
    if (db === null) return;
    // PGlite has one session: run LISTEN while holding it, so it cannot land inside someone's transaction.
    this.unlisten = await this.holdingEmbeddedSession(() => db.listen(this.channel, () => this.wake()));
  }

  private async holdingEmbeddedSession<T>(work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      return await work();
    } finally {
      await runner.release();
    }
  }
}
