import { expect, test, type Page } from '@playwright/test';
import type { CalibrationReport, Page as ApiPage, Signal, SignalDetail } from '@scanner/contracts';
import * as path from 'node:path';
import { baseUrl } from './support/backend';
import { startOfflineBackend } from './support/offline-backend';
import { SCREENSHOTS_DIR } from './support/paths';
import { DESKTOP, PHONE, screenshotBoth } from './support/screenshots';

/** Signal quality on screen (issue 14) and the polish of issue 17 item 5, against the seeded backend. */
test.describe('signal quality and screen polish against the real backend', () => {
  test.use({ baseURL: baseUrl() });

  const api = async <T>(route: string): Promise<T> => {
    const response = await fetch(baseUrl() + route);
    expect(response.ok, `GET ${route}: HTTP ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
  const formatR = (r: number | null) =>
    r === null ? '—' : `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r).toFixed(2)}R`;

  test('history: live-only headline with a toggle, the reliability chart and the ablation table', async ({
    page,
  }) => {
    await page.goto('/history');
    await expect(page.getByTestId('origin-live')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('origin-note')).toContainText('live signals only');

    await page.getByTestId('origin-all').click();
    await expect(page).toHaveURL(/origin=all/);
    await expect(page.getByTestId('origin-all')).toHaveAttribute('aria-pressed', 'true');
    // global-setup waited for closed TP/SL signals: the chart has a point for each bucket the API reports.
    const report = await api<CalibrationReport>('/api/signals/calibration?origin=all');
    const plotted = report.buckets.filter((b) => b.pTarget.n > 0);
    expect(plotted.length).toBeGreaterThan(0);
    const chart = page.getByTestId('reliability-chart');
    await expect(chart).toBeVisible();
    await expect(chart.getByTestId('reliability-diagonal')).toHaveCount(1);
    await expect(chart.getByTestId('reliability-bucket')).toHaveCount(report.buckets.length);
    await expect(chart.getByTestId('reliability-point')).toHaveCount(plotted.length);
    await expect(page.getByTestId('brier')).toHaveText(report.brierScore?.toFixed(3) ?? '—');
    await expect(page.getByTestId('calibration-table').locator('tbody tr')).toHaveCount(
      report.buckets.length,
    );

    await expect(page.getByTestId('ablation-table')).toBeVisible();
    await expect(page.getByTestId('ablation-row')).toHaveCount(8);
    await expect(page.getByTestId('expectancy-net')).toHaveText(/^[+−]?\d+\.\d\dR$|^—$/);
    await expect(page.getByTestId('win-rate-detail')).toContainText('95% CI');
    await page.getByTestId('reliability-chart').scrollIntoViewIfNeeded();
    await shot(page, 'history-reliability-desktop');
    await page.getByTestId('ablation-table').scrollIntoViewIfNeeded();
    await shot(page, 'history-ablation-desktop');
    await screenshotBoth(page, 'history-quality');
  });

  test('cards show pTarget, with its sample size (or why there is none) on hover', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
    // Signals close fast at ×600: retried until one card stays long enough to be hovered.
    await expect(async () => {
      const card = page.getByTestId('signal-card').first();
      const id = await card.getAttribute('data-id');
      const { signal } = await api<SignalDetail>(`/api/signals/${id}`);
      const expected =
        signal.pTarget === null
          ? `No probability yet: ${signal.pTargetNote}`
          : `${Math.round(signal.pTarget * 100)}% chance of reaching the target before the stop, from ${signal.pTargetSamples.toLocaleString('en-US')} closed signals on ${signal.timeframe}`;
      const same = page.locator(`[data-testid=signal-card][data-id="${id}"]`);
      await same.getByTestId('p-target').hover({ timeout: 2_000 });
      const tip = same.getByTestId('p-target-tip');
      await expect(tip).toBeVisible({ timeout: 2_000 });
      await expect(tip).toHaveText(expected, { timeout: 2_000 });
      await expect(tip).toHaveText(/from [\d,]+ closed signals on 5m$|^No probability yet: .*5m/);
      await shot(page, 'card-p-target-hover');
    }).toPass({ timeout: 60_000 });
  });

  test('prices on cards are whole at every width from 360 px to 1920 px', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
    for (const width of [360, 390, 768, 1024, 1280, 1440, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300);
      const result = await page.evaluate(() => {
        const problems: string[] = [];
        let prices = 0;
        for (const card of document.querySelectorAll<HTMLElement>('[data-testid=signal-card]')) {
          const box = card.getBoundingClientRect();
          const name = card.querySelector('[data-testid=card-symbol]')?.textContent ?? card.dataset['id'];
          for (const dd of card.querySelectorAll<HTMLElement>('dd.price')) {
            prices++;
            if (dd.scrollWidth > dd.clientWidth)
              problems.push(`${name}: "${dd.textContent}" is ${dd.scrollWidth} px in ${dd.clientWidth} px`);
          }
          for (const price of card.querySelectorAll<HTMLElement>('.price')) {
            const r = price.getBoundingClientRect();
            if (r.left < box.left || r.right > box.right)
              problems.push(`${name}: "${price.textContent}" sticks out of its card`);
            if (price.textContent?.includes('…')) problems.push(`${name}: "${price.textContent}" is cut`);
          }
          for (const part of card.querySelectorAll<HTMLElement>('header > *')) {
            const r = part.getBoundingClientRect();
            if (r.right > box.right) problems.push(`${name}: "${part.textContent}" sticks out of its card`);
          }
          const article = card.querySelector('article') as HTMLElement;
          if (article.scrollHeight > card.clientHeight)
            problems.push(
              `${name}: content ${article.scrollHeight} px tall in a ${card.clientHeight} px card`,
            );
        }
        return { prices, problems };
      });
      expect(result.prices, `price cells at ${width} px`).toBeGreaterThan(0);
      expect(result.problems, `at ${width} px`).toEqual([]);
    }
    for (const [label, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      await shot(page, `card-prices-${label}`);
    }
  });

  test('detail: net and gross R, origin, and indicator panes tall enough to read, each labelled', async ({
    page,
  }) => {
    const closed = await api<ApiPage<Signal>>('/api/signals?status=CLOSED&limit=1');
    const signal = closed.items[0];
    await page.goto(`/signals/${signal.id}`);
    await expect(page.getByTestId('net-r')).toHaveText(formatR(signal.netR));
    await expect(page.getByTestId('gross-r')).toHaveText(formatR(signal.outcomeR));
    await expect(page.getByTestId('detail-origin')).toHaveText(signal.origin);
    await expect(page.getByTestId('detail-p-target')).toContainText('P(TP)');
    const chart = page.getByTestId('signal-chart');
    await expect(chart).not.toHaveAttribute('data-bars', '0');
    await expect(chart).toHaveAttribute('data-pane-labels', /RSI 14.*\|MACD/);
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      await expect
        .poll(async () => {
          const heights = ((await chart.getAttribute('data-pane-heights')) ?? '').split(',').map(Number);
          return heights.length === 3 && heights[1] >= 90 && heights[2] >= 90 && heights[0] >= 2 * heights[1];
        })
        .toBe(true);
    }
    await page.setViewportSize(DESKTOP);
    await chart.scrollIntoViewIfNeeded();
    await screenshotBoth(page, 'detail-panes');
  });

  test('started without internet, the live page says what is wrong and what to do', async ({ page }) => {
    const offline = await startOfflineBackend();
    try {
      await page.goto(offline.url + '/');
      const banner = page.getByTestId('exchange-down');
      await expect(banner).toBeVisible({ timeout: 60_000 });
      await expect(banner).toContainText('The scanner cannot reach Binance');
      await expect(banner).toContainText('check this machine');
      await expect(banner).toContainText('npm run demo');
      await expect(page.getByTestId('empty-state')).toContainText('without answers from Binance');
      await expect(page.getByTestId('empty-state')).not.toContainText('No active signals right now');
      await screenshotBoth(page, 'live-offline');
    } finally {
      await offline.stop();
    }
  });
});
