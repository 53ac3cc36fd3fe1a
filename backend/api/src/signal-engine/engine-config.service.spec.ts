import type { ScoringVersion } from '@scanner/contracts';
import { DEFAULT_ENGINE_CONFIG, InvalidEngineConfigError, type EngineConfig } from '@scanner/signal-core';
import { parseEnv } from '../config';
import { EngineConfigService } from './engine-config.service';
import { diffConfigs, sameConfig, type ScoringVersionsService } from './scoring-versions.service';

/** scoring_versions in memory: version 1 the defaults, active. */
function memoryVersions(): ScoringVersionsService & { rows: ScoringVersion[] } {
  const rows: ScoringVersion[] = [];
  const make = (config: EngineConfig, note: string, active: boolean): ScoringVersion => {
    if (active) rows.forEach((r) => (r.active = false));
    const version = {
      id: rows.length + 1,
      config: JSON.parse(JSON.stringify(config)),
      note,
      active,
      createdAt: new Date(0).toISOString(),
      activatedAt: active ? new Date(0).toISOString() : null,
    };
    rows.push(version);
    return version;
  };
  make(DEFAULT_ENGINE_CONFIG, 'defaults', true);
  return {
    rows,
    list: async () => rows,
    active: async () => rows.find((r) => r.active)!,
    activeCached: async () => rows.find((r) => r.active)!,
    forgetActive: () => undefined,
    create: async (config: EngineConfig, note: string, activate: boolean) => make(config, note, activate),
  } as unknown as ScoringVersionsService & { rows: ScoringVersion[] };
}

describe('EngineConfigService', () => {
  it('uses FEE_BPS and SLIPPAGE_BPS whatever the version stored', async () => {
    const service = new EngineConfigService(
      memoryVersions(),
      parseEnv({ FEE_BPS: '7.5', SLIPPAGE_BPS: '2' }),
    );
    expect(await service.get()).toEqual({ ...DEFAULT_ENGINE_CONFIG, feeBps: 7.5, slippageBps: 2 });
    await service.set({ minConfidence: 75 });
    expect(await service.get()).toMatchObject({ minConfidence: 75, feeBps: 7.5, slippageBps: 2 });
  });

  it('refuses a cost other than the environment one, naming the variable', async () => {
    const versions = memoryVersions();
    const service = new EngineConfigService(versions, parseEnv({}));
    const attempt = service.set({ feeBps: 5 });
    await expect(attempt).rejects.toBeInstanceOf(InvalidEngineConfigError);
    await expect(attempt).rejects.toMatchObject({
      issues: [{ field: 'feeBps', message: expect.stringContaining('FEE_BPS') }],
    });
    expect(versions.rows).toHaveLength(1);
    // The environment's own value (e.g. a GET body sent back) is accepted.
    await expect(service.set({ feeBps: 10, slippageBps: 0, minConfidence: 72 })).resolves.toMatchObject({
      feeBps: 10,
    });
  });

  it('a change makes a new active version and never alters the old one; the same config makes none', async () => {
    const versions = memoryVersions();
    const service = new EngineConfigService(versions, parseEnv({}));
    await service.set({ minConfidence: 80 }, 'stricter');
    expect(versions.rows.map((r) => [r.id, r.active, r.config.minConfidence, r.note])).toEqual([
      [1, false, DEFAULT_ENGINE_CONFIG.minConfidence, 'defaults'],
      [2, true, 80, 'stricter'],
    ]);
    expect(await service.inForce()).toMatchObject({ version: 2, config: { minConfidence: 80 } });
    await service.set({ minConfidence: 80 });
    expect(versions.rows).toHaveLength(2);
  });

  it('createVersion validates and can leave the active version as it is', async () => {
    const versions = memoryVersions();
    const service = new EngineConfigService(versions, parseEnv({}));
    expect(() => service.createVersion({ minConfidence: 0 }, '', false)).toThrow(/minConfidence/);
    const made = await service.createVersion({ expiryCandles: 6 }, 'try', false);
    expect(made).toMatchObject({ id: 2, active: false });
    expect((await service.inForce()).version).toBe(1);
  });
});

describe('scoring config comparison', () => {
  it('is blind to key order (jsonb reorders keys)', () => {
    expect(sameConfig({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toBe(true);
    expect(sameConfig({ a: 1 }, { a: 2 })).toBe(false);
  });

  it('lists the changed settings by dotted path, sorted, with missing ones as null', () => {
    const from = { ...DEFAULT_ENGINE_CONFIG, weights: { ...DEFAULT_ENGINE_CONFIG.weights } };
    const to = {
      ...DEFAULT_ENGINE_CONFIG,
      minConfidence: 80,
      trailingStop: !DEFAULT_ENGINE_CONFIG.trailingStop,
      weights: { ...DEFAULT_ENGINE_CONFIG.weights, htf_trend: 5 },
    };
    expect(diffConfigs(from, to)).toEqual([
      { path: 'minConfidence', from: DEFAULT_ENGINE_CONFIG.minConfidence, to: 80 },
      {
        path: 'trailingStop',
        from: DEFAULT_ENGINE_CONFIG.trailingStop,
        to: !DEFAULT_ENGINE_CONFIG.trailingStop,
      },
      { path: 'weights.htf_trend', from: null, to: 5 },
    ]);
    expect(diffConfigs(to, to)).toEqual([]);
  });
});
