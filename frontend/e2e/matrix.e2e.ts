import { expect, test, type Page } from '@playwright/test';
import * as path from 'node:path';
import { MatrixTestServer } from './support/matrix-test-server';
import { DASHBOARD_DIR, SCREENSHOTS_DIR } from './support/paths';
import { DESKTOP, PHONE } from './support/screenshots';

const SYMBOLS = 400;
const TIMEFRAMES = 4;
const RATE = 50;
const DURATION_MS = 15_000;
/** A build elsewhere than frontend/dist/browser (e.g. while another build writes there). */
const DASHBOARD = process.env.E2E_DASHBOARD_DIR || DASHBOARD_DIR;

declare global {
  interface Window {
    __longTasks: { start: number; duration: number }[];
  }
}

/**
 * Every cell of the matrix as "long/short/active", keyed "SYMBOL|tf": the grid renders only the rows
 * in and near view, so the scroller is stepped from top to bottom (a screenful at a time, each step
 * given frames to repaint) and what each window shows is collected; then it goes back where it was.
 */
function sweep(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const scroller = document.querySelector<HTMLElement>('[data-testid=matrix-scroller]')!;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const out: Record<string, string> = {};
    const start = scroller.scrollTop;
    for (let top = 0; ; top += scroller.clientHeight) {
      scroller.scrollTop = top;
      for (let i = 0; i < 3; i++) await frame();
      for (const td of document.querySelectorAll<HTMLElement>('.mx-grid .cell')) {
        const symbol = (td.parentElement as HTMLElement).dataset['symbol'];
        const text = (selector: string) => td.querySelector(selector)?.textContent ?? '';
        out[`${symbol}|${td.dataset['tf']}`] = `${text('.n.l')}/${text('.n.s')}/${text('.a')}`;
      }
      if (top + scroller.clientHeight >= scroller.scrollHeight) break;
    }
    scroller.scrollTop = start;
    await frame();
    return out;
  });
}

test(`market matrix: ${SYMBOLS} × ${TIMEFRAMES} cells at ${RATE} ticks/s for ${DURATION_MS / 1000} s, no long task over 50 ms`, async ({
  page,
}) => {
  const server = new MatrixTestServer(SYMBOLS, DASHBOARD);
  const url = await server.listen();
  try {
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url + '/matrix');
    await expect(page.getByTestId('connection-badge')).toHaveText('connected');
    await expect(page.getByTestId('matrix-count')).toHaveText(`${SYMBOLS} of ${SYMBOLS} symbols`, {
      timeout: 30_000,
    });
    // The table is the whole matrix to assistive technology; the DOM holds only the rows near view.
    await expect(page.getByTestId('matrix-grid')).toHaveAttribute('aria-rowcount', String(SYMBOLS + 1));
    expect(await page.locator('.mx-grid .cell').count()).toBeLessThan(SYMBOLS * TIMEFRAMES);
    // Scrolled through, the matrix shows every one of the 400 × 4 cells, each equal to the server's.
    expect(await sweep(page)).toEqual(server.state());
    await page.waitForTimeout(1_000);
    const loadTasks = await page.evaluate(() => window.__longTasks.map((t) => t.duration));

    // Sorted by a live value: the rows re-sort (every 2 s) as the values change under load.
    const sort = page.getByTestId('matrix-sort');
    await sort.selectOption('long:1h');
    await page.waitForTimeout(1_000);
    const start = await page.evaluate(() => performance.now());
    server.startLoad(RATE);
    // Meanwhile a trader scrolls through the matrix and back.
    const deadline = Date.now() + DURATION_MS;
    await page.locator('.scroller').hover();
    for (let step = 0; Date.now() < deadline; step++) {
      await page.mouse.wheel(0, step % 8 < 4 ? 600 : -600);
      await page.waitForTimeout(500);
    }
    server.stopLoad();
    const underLoad = await page.evaluate(
      (since) =>
        window.__longTasks
          .filter((t) => t.start >= since)
          .map((t) => ({ at: Math.round(t.start - since), ms: Math.round(t.duration) })),
      start,
    );
    const longest = Math.max(0, ...underLoad.map((t) => t.ms));

    // Interactions (each a full re-sort or re-filter of 400 rows), timed on their own.
    const interactions: Record<string, number> = {};
    for (const [name, act] of [
      ['sort short 5m', () => sort.selectOption('short:5m')],
      ['filter SYM00', () => page.getByTestId('matrix-search').fill('SYM00')],
      ['clear filter', () => page.getByTestId('matrix-search').fill('')],
      ['sort rank', () => sort.selectOption('rank')],
    ] as const) {
      const since = await page.evaluate(() => performance.now());
      await act();
      await page.waitForTimeout(500);
      interactions[name] = await page.evaluate(
        (t0) =>
          Math.max(0, ...window.__longTasks.filter((t) => t.start >= t0).map((t) => Math.round(t.duration))),
        since,
      );
      if (name === 'filter SYM00')
        await expect(page.getByTestId('matrix-count')).toHaveText(`100 of ${SYMBOLS} symbols`);
    }
    await expect(page.getByTestId('matrix-count')).toHaveText(`${SYMBOLS} of ${SYMBOLS} symbols`);
    console.log(
      `[perf] matrix: ${server.ticksSent} ticks (${server.cellsSent} cells) in ${DURATION_MS / 1000} s; ` +
        `long tasks under load: ${underLoad.length}, longest ${longest} ms ${JSON.stringify(underLoad)}; ` +
        `during the first render: ${loadTasks.length}, longest ${Math.max(0, ...loadTasks).toFixed(0)} ms; ` +
        `longest task per interaction (ms): ${JSON.stringify(interactions)}`,
    );
    // Every tick applied, none lost: the page ends equal to the server, all 1,600 cells.
    await expect(async () => expect(await sweep(page)).toEqual(server.state())).toPass({
      timeout: 10_000,
    });
    expect(server.ticksSent).toBeGreaterThanOrEqual(Math.floor((RATE * DURATION_MS) / 1000) * 0.8);
    // Same rule as perf.e2e.ts: target 50 ms; on a shared 2-core runner 100 ms unless E2E_PERF_STRICT=1.
    const limit = process.env.E2E_PERF_STRICT === '1' ? 50 : 100;
    console.log(
      `[perf] matrix: longest task under load ${longest} ms (target 50 ms, enforced here: ${limit} ms)`,
    );
    expect(longest).toBeLessThanOrEqual(limit);
    // A full re-sort or re-filter answers within the 100 ms response budget (200 ms on a shared runner).
    const interactionLimit = process.env.E2E_PERF_STRICT === '1' ? 100 : 200;
    for (const [name, ms] of Object.entries(interactions))
      expect(ms, name).toBeLessThanOrEqual(interactionLimit);

    for (const [label, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `matrix-${label}.png`) });
      // Usable on a phone: a narrow symbol column beside at least three whole timeframe cells.
      const fit = await page.evaluate(() => {
        const scroller = document.querySelector<HTMLElement>('[data-testid=matrix-scroller]')!;
        const right = scroller.getBoundingClientRect().right;
        const row = document.querySelector<HTMLElement>('.mx-body .row')!;
        const symbol = row.querySelector<HTMLElement>('.sym')!.getBoundingClientRect().width;
        const whole = [...row.querySelectorAll<HTMLElement>('.cell')].filter(
          (cell) => cell.getBoundingClientRect().right <= right + 0.5,
        ).length;
        return { symbol, whole };
      });
      expect(fit.symbol, `symbol column at ${label}`).toBeLessThanOrEqual(label === 'phone' ? 80 : 130);
      expect(fit.whole, `whole timeframe cells in view at ${label}`).toBeGreaterThanOrEqual(3);
    }
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, 'matrix-desktop-light.png') });
  } finally {
    await server.close();
  }
});
