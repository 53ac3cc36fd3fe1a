import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalConfluence, SignalOrigin } from '@scanner/contracts';
import type { EngineEvent, SignalChangeEvent } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { ConfluenceService } from './confluence.service';
import { EngineConfigService } from './engine-config.service';
import type { CreationStamp } from './signal.mapper';
import { TargetFitService } from './target-fit.service';

interface StampRow {
  id: string;
  origin: SignalOrigin;
  p_target: number | string | null;
  p_target_samples: number | string;
  p_target_note: string | null;
  confluence: SignalConfluence | null;
  scoring_version: number | string;
}

/**
 * The creation stamps of an engine step's changes (EngineCommit.stamps): a signal created in the step
 * is stamped now (origin from the step's market time, pTarget from the current fit, for a live one its
 * confluence from the other timeframes' stored engine states, null for a replay); a signal created
 * earlier keeps the stamp stored with it.
 */
@Injectable()
export class CreationStampService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly fits: TargetFitService,
    private readonly confluence: ConfluenceService,
    private readonly engineConfig: EngineConfigService,
  ) {}

  async stampsFor(
    events: readonly EngineEvent[],
    stepMarketTime: number | undefined,
    /** The version whose configuration the step scored with (read with it); else the one active now. */
    stepScoringVersion?: number,
  ): Promise<Map<string, CreationStamp>> {
    const stamps = new Map<string, CreationStamp>();
    const changes = events.filter((e): e is SignalChangeEvent => e.type !== 'gap');
    const scoringVersion =
      stepScoringVersion ??
      (changes.some((c) => c.type === 'created') ? (await this.engineConfig.inForce()).version : 0);
    for (const change of changes) {
      if (change.type === 'created' && !stamps.has(change.signal.id)) {
        const s = change.signal;
        const fit = await this.fits.stampFor(s, stepMarketTime);
        // The other timeframes' states tell what they were at a creation only when it is live: a signal
        // recreated from history (replay) would be judged against states later than itself.
        const confluence =
          fit.origin === 'live'
            ? await this.confluence.forSignal({
                symbol: s.symbol,
                timeframe: s.timeframe,
                direction: s.direction,
                createdAt: new Date(s.createdAt).toISOString(),
              })
            : null;
        stamps.set(s.id, { ...fit, confluence, scoringVersion });
      }
    }
    const earlier = [...new Set(changes.map((c) => c.signal.id))].filter((id) => !stamps.has(id));
    if (earlier.length > 0) {
      const rows: StampRow[] = await this.dataSource.query(
        `SELECT id, origin, p_target, p_target_samples, p_target_note, confluence, scoring_version FROM signals WHERE id = ANY($1)`,
        [earlier],
      );
      for (const row of rows)
        stamps.set(row.id, {
          origin: row.origin,
          pTarget: row.p_target === null ? null : Number(row.p_target),
          pTargetSamples: Number(row.p_target_samples),
          pTargetNote: row.p_target_note,
          confluence: row.confluence ?? null,
          scoringVersion: Number(row.scoring_version),
        });
    }
    return stamps;
  }
}
