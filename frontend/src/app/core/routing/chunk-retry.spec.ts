import { TestBed } from '@angular/core/testing';
import { NavigationError, Router } from '@angular/router';
import { chunkRetryHandler, CHUNK_RETRIES, isChunkLoadError, type ChunkRetryDeps } from './chunk-retry';

describe('chunkRetryHandler', () => {
  const chunkError = (url: string) =>
    new NavigationError(
      1,
      url,
      new TypeError(`Failed to fetch dynamically imported module: http://x/chunk-A.js`),
    );

  function setup(navigated: boolean) {
    const navigateByUrl = jest.fn().mockResolvedValue(navigated);
    TestBed.configureTestingModule({ providers: [{ provide: Router, useValue: { navigateByUrl } }] });
    const scheduled: { run: () => void; delayMs: number }[] = [];
    const deps: ChunkRetryDeps = {
      schedule: (run, delayMs) => scheduled.push({ run, delayMs }),
      reload: jest.fn(),
    };
    const handler = chunkRetryHandler(deps);
    const fail = (url: string) => TestBed.runInInjectionContext(() => handler(chunkError(url)));
    return { navigateByUrl, scheduled, deps, handler, fail };
  }

  it('recognises chunk load failures and nothing else', () => {
    expect(
      isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: http://x/a.js')),
    ).toBe(true);
    expect(isChunkLoadError(new Error('Loading chunk 123 failed.'))).toBe(true);
    expect(isChunkLoadError(new Error('Cannot match any routes'))).toBe(false);
  });

  it('navigates to the same URL again with growing delays, then reloads the document', async () => {
    const { navigateByUrl, scheduled, deps, fail } = setup(false);
    for (let i = 0; i <= CHUNK_RETRIES; i++) fail('/history');
    expect(scheduled.map((s) => s.delayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 15_000]);
    for (const s of scheduled) s.run();
    await Promise.resolve();
    expect(navigateByUrl).toHaveBeenCalledTimes(CHUNK_RETRIES);
    expect(navigateByUrl).toHaveBeenCalledWith('/history');
    expect(deps.reload).toHaveBeenCalledWith('/history');
  });

  it('starts over after a retry succeeds', async () => {
    const { scheduled, fail } = setup(true);
    fail('/');
    scheduled[0].run();
    await new Promise((resolve) => setTimeout(resolve, 0));
    fail('/');
    expect(scheduled[1].delayMs).toBe(1_000);
  });

  it('leaves other navigation errors to the router', () => {
    const { scheduled, handler } = setup(false);
    TestBed.runInInjectionContext(() =>
      handler(new NavigationError(1, '/', new Error('Cannot match any routes'))),
    );
    expect(scheduled).toEqual([]);
  });
});
