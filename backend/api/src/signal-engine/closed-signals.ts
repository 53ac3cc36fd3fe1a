import type { ClosedSignalStatus, OriginFilter, SignalDirection, SignalOrigin } from '@scanner/contracts';
import type { EntityManager } from 'typeorm';

/** Which closed signals a quality figure is over (stats, calibration, ablation, the pTarget fit). */
export interface ClosedSignalFilter {
  timeframe?: string;
  direction?: SignalDirection;
  /** Only signals closed at or after this time (market time). */
  since?: Date;
  /** `all` (the default) counts both origins. */
  origin?: OriginFilter;
  /** Only signals created by this scoring version (all versions when absent). */
  scoringVersion?: number;
}

/** A closed signal with what the signal-core statistics read of it (times in epoch ms). */
export interface ClosedSignalRow {
  id: string;
  timeframe: string;
  direction: SignalDirection;
  status: ClosedSignalStatus;
  origin: SignalOrigin;
  closedAt: number;
  grossR: number;
  netR: number;
  initialConfidence: number;
  initialConditionMask: number;
  scoringVersion: number;
}

interface RawRow {
  id: string;
  timeframe: string;
  direction: SignalDirection;
  status: ClosedSignalStatus;
  origin: SignalOrigin;
  closed_ms: number | string;
  outcome_r: number | string;
  net_r: number | string;
  initial_confidence: number | string;
  initial_condition_mask: number | string;
  scoring_version: number | string;
}

/** `AND …` clauses of a filter over `signals`, their parameters numbered after those already in `params`. */
export function filterSql(
  filter: ClosedSignalFilter,
  params: unknown[] = [],
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  if (filter.timeframe !== undefined) clauses.push(`timeframe = $${params.push(filter.timeframe)}`);
  if (filter.direction !== undefined) clauses.push(`direction = $${params.push(filter.direction)}`);
  if (filter.origin !== undefined && filter.origin !== 'all')
    clauses.push(`origin = $${params.push(filter.origin)}`);
  if (filter.scoringVersion !== undefined)
    clauses.push(`scoring_version = $${params.push(filter.scoringVersion)}`);
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/**
 * The closed signals of `filter` (in no particular order: the statistics order them by closing time
 * where it matters). Only rows with a net R count: every close since costs exist has one, and the
 * migration gave one to every older close whose risk it could recover.
 */
export async function loadClosedSignals(
  manager: EntityManager,
  filter: ClosedSignalFilter,
): Promise<ClosedSignalRow[]> {
  const { sql, params } = filterSql(filter);
  const since = filter.since === undefined ? '' : ` AND closed_at >= $${params.push(filter.since)}`;
  const rows: RawRow[] = await manager.query(
    `SELECT id, timeframe, direction, status, origin, round(extract(epoch FROM closed_at) * 1000)::float8 AS closed_ms,
            outcome_r, net_r, initial_confidence, initial_condition_mask, scoring_version
     FROM signals
     WHERE status <> 'ACTIVE' AND net_r IS NOT NULL AND outcome_r IS NOT NULL AND closed_at IS NOT NULL${sql}${since}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    timeframe: r.timeframe,
    direction: r.direction,
    status: r.status,
    origin: r.origin,
    closedAt: Number(r.closed_ms),
    grossR: Number(r.outcome_r),
    netR: Number(r.net_r),
    initialConfidence: Number(r.initial_confidence),
    initialConditionMask: Number(r.initial_condition_mask),
    scoringVersion: Number(r.scoring_version),
  }));
}
