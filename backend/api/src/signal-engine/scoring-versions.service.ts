import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ScoringConfig, ScoringConfigChange, ScoringVersion } from '@scanner/contracts';
import type { EngineConfig } from '@scanner/signal-core';
import { DataSource, EntityManager } from 'typeorm';

/** Advisory lock of every writer of scoring_versions (numbering and the one active version). */
const SCORING_VERSIONS_LOCK_KEY = 7_100_150;

export class ScoringVersionNotFoundError extends NotFoundException {
  constructor(readonly id: number) {
    super(`scoring version ${id} not found`);
  }
}

interface VersionRow {
  id: number | string;
  config: unknown;
  note: string;
  active: boolean;
  created_at: Date | string;
  activated_at: Date | string | null;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function toVersion(row: VersionRow): ScoringVersion {
  return {
    id: Number(row.id),
    config: row.config as ScoringConfig,
    note: row.note,
    active: row.active,
    createdAt: iso(row.created_at)!,
    activatedAt: iso(row.activated_at),
  };
}

const COLUMNS = 'id, config, note, active, created_at, activated_at';

/**
 * How long activeCached() trusts what it read: a version activated by another process is in force here
 * within this long (this process's own create/activate take effect at once).
 */
export const ACTIVE_VERSION_CACHE_MS = 3_000;

/**
 * The `scoring_versions` table: numbered engine configurations, exactly one active (a partial unique
 * index holds it). Versions are never changed once made; only which one is active changes. Writers
 * serialize on an advisory lock so numbers and the active flag stay consistent across processes.
 */
@Injectable()
export class ScoringVersionsService {
  /**
   * The last read of the active version (shared by concurrent callers while in flight) and when it was
   * started. An activation made here forgets it once it ends (committed or not), so a read that
   * overlapped it is never kept.
   */
  private cached: { version: Promise<ScoringVersion>; readAt: number } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(): Promise<ScoringVersion[]> {
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM scoring_versions ORDER BY id`,
    );
    return rows.map(toVersion);
  }

  /** Throws ScoringVersionNotFoundError (404) for an unknown id. */
  async get(id: number, manager: EntityManager = this.dataSource.manager): Promise<ScoringVersion> {
    const rows: VersionRow[] = await manager.query(`SELECT ${COLUMNS} FROM scoring_versions WHERE id = $1`, [
      id,
    ]);
    if (rows.length === 0) throw new ScoringVersionNotFoundError(id);
    return toVersion(rows[0]);
  }

  /** The active version (the migration makes version 1 active; there is always exactly one). */
  async active(): Promise<ScoringVersion> {
    const rows: VersionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM scoring_versions WHERE active`,
    );
    if (rows.length === 0) throw new Error('scoring_versions has no active version');
    return toVersion(rows[0]);
  }

  /**
   * The active version as read at most ACTIVE_VERSION_CACHE_MS ago (what every engine step needs,
   * without a round trip each): this process's own create/activate refresh it at once, another
   * process's activation is seen within ACTIVE_VERSION_CACHE_MS. A failed read is not kept.
   */
  activeCached(): Promise<ScoringVersion> {
    const now = Date.now();
    if (this.cached !== null && now - this.cached.readAt < ACTIVE_VERSION_CACHE_MS)
      return this.cached.version;
    const version = this.active();
    const entry = { version, readAt: now };
    this.cached = entry;
    version.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return version;
  }

  /** Forgets the cached active version (the next activeCached() reads it): after a change made outside this service. */
  forgetActive(): void {
    this.cached = null;
  }

  /** Stores `config` (already validated) as the next version; active at once when `activate`. */
  async create(config: EngineConfig, note: string, activate: boolean): Promise<ScoringVersion> {
    const created = this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SCORING_VERSIONS_LOCK_KEY]);
      if (activate) await manager.query(`UPDATE scoring_versions SET active = false WHERE active`);
      const rows: VersionRow[] = await manager.query(
        `INSERT INTO scoring_versions (id, config, note, active, activated_at)
         SELECT coalesce(max(id), 0) + 1, $1::jsonb, $2, $3::boolean, CASE WHEN $3::boolean THEN now() END
         FROM scoring_versions
         RETURNING ${COLUMNS}`,
        [JSON.stringify(config), note, activate],
      );
      return toVersion(rows[0]);
    });
    return activate ? this.forgettingActive(created) : created;
  }

  /** Makes version `id` the active one (a no-op when it already is); 404 for an unknown id. */
  async activate(id: number): Promise<ScoringVersion> {
    const activated = this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [SCORING_VERSIONS_LOCK_KEY]);
      const version = await this.get(id, manager);
      if (version.active) return version;
      await manager.query(`UPDATE scoring_versions SET active = false WHERE active`);
      await manager.query(`UPDATE scoring_versions SET active = true, activated_at = now() WHERE id = $1`, [
        id,
      ]);
      return this.get(id, manager);
    });
    return this.forgettingActive(activated);
  }

  /** `change`'s outcome, the cached active version forgotten once it settles (committed or not). */
  private async forgettingActive(change: Promise<ScoringVersion>): Promise<ScoringVersion> {
    try {
      return await change;
    } finally {
      this.forgetActive();
    }
  }
}

/** `value` with object keys in sorted order (jsonb does not keep the order they were written in). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

export function sameConfig(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

type Leaf = ScoringConfigChange['from'];

function leaves(value: unknown, path: string, out: Map<string, Leaf>): Map<string, Leaf> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      leaves(child, path === '' ? key : `${path}.${key}`, out);
  } else {
    out.set(path, value === undefined ? null : (value as Leaf));
  }
  return out;
}

/** The settings that differ from `from` to `to`, by dotted path (`weights.rsi_zone`), sorted. */
export function diffConfigs(from: unknown, to: unknown): ScoringConfigChange[] {
  const a = leaves(from, '', new Map());
  const b = leaves(to, '', new Map());
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, from: a.get(path) ?? null, to: b.get(path) ?? null }));
}
