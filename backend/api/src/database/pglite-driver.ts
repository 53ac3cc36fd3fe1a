import { PGlite } from '@electric-sql/pglite';
import { EventEmitter } from 'node:events';

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
}

type ConnectCallback = (
  error: Error | null,
  client: PgliteClient | null,
  release: (error?: unknown) => void,
) => void;

const ACQUIRE_TIMEOUT_MS = 30_000;

function commandOf(sql: string): string {
  const match = /^\s*(?:--[^\n]*\n\s*)*(\w+)/.exec(sql);
  return match ? match[1].toUpperCase() : '';
}

/** The single session of an embedded PGlite database, shaped like a `pg` client for TypeORM. */
class PgliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, parameters?: unknown[] | ((...args: unknown[]) => void)): Promise<PgLikeResult> {
    const params = Array.isArray(parameters) ? parameters : undefined;
    if (params && params.length > 0) {
      const result = await this.db.query(sql, params);
      return {
        rows: result.rows,
        rowCount: result.affectedRows ?? result.rows.length,
        command: commandOf(sql),
      };
    }
    // Without parameters a string may hold several statements (migrations); exec returns one result each.
    const results = await this.db.exec(sql);
    const last = results[results.length - 1];
    return {
      rows: last?.rows ?? [],
      rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
      command: commandOf(sql),
    };
  }
}

/**
 * A `pg.Pool` stand-in over one PGlite instance. PGlite has exactly one session, so the pool hands its
 * client to one query runner at a time: a transaction keeps the session until it ends and nothing
 * else interleaves with it (typeorm-pglite's pool shares the session between concurrent transactions).
 */
class PglitePool extends EventEmitter {
  private busy = false;
  private readonly waiters: Array<() => void> = [];
  private readonly client: PgliteClient;

  constructor(private readonly db: PGlite) {
    super();
    this.client = new PgliteClient(db);
  }

  connect(callback: ConnectCallback): void {
    const grant = (): void => {
      this.busy = true;
      let released = false;
      callback(null, this.client, () => {
        if (released) return;
        released = true;
        this.busy = false;
        this.waiters.shift()?.();
      });
    };
    if (!this.busy) {
      grant();
      return;
    }
    const timer = setTimeout(() => {
      const index = this.waiters.indexOf(waiter);
      if (index >= 0) this.waiters.splice(index, 1);
      callback(
        new Error(`Embedded database busy for ${ACQUIRE_TIMEOUT_MS} ms (a transaction did not end)`),
        null,
        () => {},
      );
    }, ACQUIRE_TIMEOUT_MS);
    const waiter = (): void => {
      clearTimeout(timer);
      grant();
    };
    this.waiters.push(waiter);
  }

  async query(sql: string, parameters?: unknown[]): Promise<PgLikeResult> {
    return new Promise((resolve, reject) => {
      this.connect((error, client, release) => {
        if (error || !client) return reject(error);
        client.query(sql, parameters).then(
          (result) => {
            release();
            resolve(result);
          },
          (queryError: unknown) => {
            release();
            reject(queryError);
          },
        );
      });
    });
  }

  end(callback?: (error: Error | null) => void): void {
    this.db.close().then(
      () => callback?.(null),
      (error: Error) => callback?.(error),
    );
  }
}

/** The object TypeORM's postgres driver expects in place of the `pg` module. */
export function createPgliteDriver(db: PGlite): { Pool: new () => PglitePool } {
  return {
    Pool: class extends PglitePool {
      constructor() {
        super(db);
      }
    },
  };
}
