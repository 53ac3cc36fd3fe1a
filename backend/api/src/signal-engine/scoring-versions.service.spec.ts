import { DEFAULT_ENGINE_CONFIG } from '@scanner/signal-core';
import type { DataSource } from 'typeorm';
import { ACTIVE_VERSION_CACHE_MS, ScoringVersionsService } from './scoring-versions.service';

/** A DataSource whose scoring_versions reads answer `state.active` (and count), and whose transactions run `state.onWrite`. */
function fakeDataSource() {
  const state = { active: 1, reads: 0, failNextRead: false };
  const row = (id: number) => ({
    id,
    config: DEFAULT_ENGINE_CONFIG,
    note: '',
    active: id === state.active,
    created_at: new Date(0),
    activated_at: new Date(0),
  });
  const query = async (sql: string, params: unknown[] = []) => {
    if (sql.includes('WHERE active') && sql.startsWith('SELECT')) {
      state.reads++;
      if (state.failNextRead) {
        state.failNextRead = false;
        throw new Error('connection refused');
      }
      return [row(state.active)];
    }
    if (sql.includes('WHERE id = $1') && sql.startsWith('SELECT')) return [row(Number(params[0]))];
    if (sql.startsWith('UPDATE scoring_versions SET active = true')) state.active = Number(params[0]);
    return [];
  };
  const dataSource = {
    query,
    manager: { query },
    transaction: async (work: (manager: { query: typeof query }) => Promise<unknown>) => work({ query }),
  } as unknown as DataSource;
  return { state, dataSource };
}

describe('ScoringVersionsService.activeCached', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reads the active version once per ACTIVE_VERSION_CACHE_MS, concurrent callers sharing the read', async () => {
    const { state, dataSource } = fakeDataSource();
    const versions = new ScoringVersionsService(dataSource);
    const [a, b] = await Promise.all([versions.activeCached(), versions.activeCached()]);
    expect(a).toBe(b);
    expect(state.reads).toBe(1);
    now += ACTIVE_VERSION_CACHE_MS - 1;
    await versions.activeCached();
    expect(state.reads).toBe(1);
    // Another process activates version 2: seen once the cache is older than ACTIVE_VERSION_CACHE_MS.
    state.active = 2;
    expect((await versions.activeCached()).id).toBe(1);
    now += 1;
    expect((await versions.activeCached()).id).toBe(2);
    expect(state.reads).toBe(2);
  });

  it("this process's activation is in force at once", async () => {
    const { dataSource } = fakeDataSource();
    const versions = new ScoringVersionsService(dataSource);
    expect((await versions.activeCached()).id).toBe(1);
    await versions.activate(2);
    expect((await versions.activeCached()).id).toBe(2);
  });

  it('keeps no failed read: the next call reads again', async () => {
    const { state, dataSource } = fakeDataSource();
    const versions = new ScoringVersionsService(dataSource);
    state.failNextRead = true;
    await expect(versions.activeCached()).rejects.toThrow('connection refused');
    expect((await versions.activeCached()).id).toBe(1);
    expect(state.reads).toBe(2);
  });

  it('forgetActive makes the next call read (a change made behind the service)', async () => {
    const { state, dataSource } = fakeDataSource();
    const versions = new ScoringVersionsService(dataSource);
    await versions.activeCached();
    state.active = 3;
    versions.forgetActive();
    expect((await versions.activeCached()).id).toBe(3);
  });
});
