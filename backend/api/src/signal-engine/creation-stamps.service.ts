import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { SignalConfluence, SignalOrigin } from '@scanner/contracts';
import type { Signal as DomainSignal, EngineEvent, SignalChangeEvent } from '@scanner/signal-core';
import { DataSource } from 'typeorm';
import { ConfluenceService, type ConfluenceSubject } from './confluence.service';
import { EngineConfigService } from './engine-config.service';
import type { CreationStamp, FitStamp } from './signal.mapper';
import { TargetFitService } from './target-fit.service';

/** Confluence reads requested in the current turn, made together at its end. */
interface PendingConfluence {
  subjects: ConfluenceSubject[];
  result: Promise<SignalConfluence[]>;
}

interface StampRow {
  id: string;
  origin: SignalOrigin;
  p_target: number | string | null;
  p_target_samples: number | string;
  p_target_note: string | null;
  confluence: SignalConfluence | null;
  scoring_version: number | string;
}

/** Stamps of open signals kept in memory at most (the oldest go first; a miss reads the row). */
export const KNOWN_STAMPS_MAX = 20_000;

/**
 * The creation stamps of an engine step's changes (EngineCommit.stamps): a signal created in the step
 * is stamped now (origin from the step's market time, pTarget from the current fit, for a live one its
 * confluence from the other timeframes' stored engine states, null for a replay); a signal created
 * earlier keeps the stamp stored with it. One read of the states for all the live creations of a step
 * (and of the steps of a scan batch that ask at the same time), one of the stored stamps per step.
 *
 * A stamp never changes once its signal is stored, so the stamps of open signals are kept in memory
 * (`remember`, after a commit, and every stamp read from a row): a close instant that updates hundreds
 * of active signals reads none of them again. A closed signal's stamp is forgotten (it changes no more).
 */
@Injectable()
export class CreationStampService {
  private pendingConfluence: PendingConfluence | null = null;
  private readonly known = new Map<string, CreationStamp>();

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
    const created = new Map<string, DomainSignal>();
    for (const change of changes)
      if (change.type === 'created' && !created.has(change.signal.id))
        created.set(change.signal.id, change.signal);
    const fits = new Map<string, FitStamp>();
    for (const [id, signal] of created) fits.set(id, await this.fits.stampFor(signal, stepMarketTime));
    // The other timeframes' states tell what they were at a creation only when it is live: a signal
    // recreated from history (replay) would be judged against states later than itself.
    const live = [...created.values()].filter((signal) => fits.get(signal.id)!.origin === 'live');
    const confluences = await this.confluences(
      live.map((s) => ({
        symbol: s.symbol,
        timeframe: s.timeframe,
        direction: s.direction,
        createdAt: new Date(s.createdAt).toISOString(),
      })),
    );
    const confluenceOf = new Map(live.map((signal, i) => [signal.id, confluences[i]]));
    for (const [id, fit] of fits)
      stamps.set(id, { ...fit, confluence: confluenceOf.get(id) ?? null, scoringVersion });
    const earlier: string[] = [];
    for (const id of new Set(changes.map((c) => c.signal.id))) {
      if (stamps.has(id)) continue;
      const known = this.known.get(id);
      if (known === undefined) earlier.push(id);
      else stamps.set(id, known);
    }
    if (earlier.length > 0) {
      const rows: StampRow[] = await this.dataSource.query(
        `SELECT id, origin, p_target, p_target_samples, p_target_note, confluence, scoring_version FROM signals WHERE id = ANY($1)`,
        [earlier],
      );
      for (const row of rows) {
        const stamp: CreationStamp = {
          origin: row.origin,
          pTarget: row.p_target === null ? null : Number(row.p_target),
          pTargetSamples: Number(row.p_target_samples),
          pTargetNote: row.p_target_note,
          confluence: row.confluence ?? null,
          scoringVersion: Number(row.scoring_version),
        };
        stamps.set(row.id, stamp);
        this.keep(row.id, stamp);
      }
    }
    return stamps;
  }

  /**
   * After a step's commit: the stamps of the signals it left open are kept for their next changes, those
   * of the signals it closed are dropped. Only committed stamps: a step that failed may be redone with
   * another stamp (a newer fit), and the stored row is what later changes must carry.
   */
  remember(events: readonly EngineEvent[], stamps: ReadonlyMap<string, CreationStamp>): void {
    for (const event of events) {
      if (event.type === 'gap') continue;
      const stamp = stamps.get(event.signal.id);
      if (event.type === 'closed' || stamp === undefined) this.known.delete(event.signal.id);
      else this.keep(event.signal.id, stamp);
    }
  }

  /** Forgets every kept stamp (the database was changed behind the app). */
  forget(): void {
    this.known.clear();
  }

  private keep(id: string, stamp: CreationStamp): void {
    this.known.delete(id);
    this.known.set(id, stamp);
    if (this.known.size > KNOWN_STAMPS_MAX) this.known.delete(this.known.keys().next().value as string);
  }

  /**
   * The confluence of `subjects`, read together with those of every other step asking in the same turn
   * of the event loop (a scan batch runs its steps concurrently): one read of the states for all.
   */
  private confluences(subjects: readonly ConfluenceSubject[]): Promise<SignalConfluence[]> {
    if (subjects.length === 0) return Promise.resolve([]);
    let batch = this.pendingConfluence;
    if (batch === null) {
      const next: PendingConfluence = { subjects: [], result: Promise.resolve([]) };
      next.result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        if (this.pendingConfluence === next) this.pendingConfluence = null;
        return this.confluence.forSignals(next.subjects);
      });
      this.pendingConfluence = batch = next;
    }
    const start = batch.subjects.length;
    batch.subjects.push(...subjects);
    return batch.result.then((all) => all.slice(start, start + subjects.length));
  }
}
