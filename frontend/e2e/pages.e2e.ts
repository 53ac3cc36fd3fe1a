import { expect, test } from '@playwright/test';
import type { Page as ApiPage, Signal } from '@scanner/contracts';
import { ADMIN_KEY } from './support/paths';
import { baseUrl } from './support/backend';
import { screenshotBoth } from './support/screenshots';

test.describe('detail, history and system pages against the real backend', () => {
  test.use({ baseURL: baseUrl() });

  test('the live page, screenshots', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('connection-badge')).toHaveText('connected');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
    await screenshotBoth(page, 'live');
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await screenshotBoth(page, 'live-light');
    await page.getByTestId('theme-toggle').click();
  });

  test('the detail page draws a chart with entry, stop and target lines', async ({ page }) => {
    await page.goto('/');
    const first = page.getByTestId('card-symbol').first();
    await expect(first).toBeVisible({ timeout: 90_000 });
    await first.click();
    await expect(page).toHaveURL(/\/signals\/[^/]+$/);
    const chart = page.getByTestId('signal-chart');
    await expect(chart).toHaveAttribute('data-price-lines', '3');
    await expect(chart).not.toHaveAttribute('data-bars', '0');
    // Some canvas has drawn pixels of more than one colour (not blank).
    await expect
      .poll(() =>
        chart.evaluate((host) =>
          [...host.querySelectorAll('canvas')].some((canvas) => {
            const ctx = canvas.getContext('2d');
            if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            const seen = new Set<number>();
            for (let i = 0; i < data.length && seen.size < 3; i += 4 * 97)
              seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            return seen.size >= 3;
          }),
        ),
      )
      .toBe(true);
    await expect(page.getByTestId('event-table')).toBeVisible();
    await screenshotBoth(page, 'detail');
  });

  test('the detail page shows the confluence stored with a live signal, and why a replay has none', async ({
    page,
  }) => {
    const signals = async (origin: 'live' | 'replay'): Promise<Signal[]> => {
      const response = await fetch(`${baseUrl()}/api/signals?origin=${origin}&limit=5`);
      expect(response.ok, `GET /api/signals?origin=${origin}: HTTP ${response.status}`).toBe(true);
      return ((await response.json()) as ApiPage<Signal>).items;
    };
    // The scans create live signals as candles close (global-setup: 5m at ×600): wait for one.
    let live: Signal | undefined;
    await expect
      .poll(async () => (live = (await signals('live'))[0]) !== undefined, { timeout: 90_000 })
      .toBe(true);
    // Stored at creation; the seed scans one timeframe, so there is no other to compare with.
    expect(live!.confluence).toEqual({
      timeframe: '5m',
      direction: live!.direction,
      agreeing: 1,
      others: [],
    });
    await page.goto(`/signals/${live!.id}`);
    await expect(page.getByTestId('confluence-panel')).toContainText('Other timeframes at creation');
    await expect(page.getByTestId('confluence-none')).toHaveText(
      'Only 5m is scanned: there is no other timeframe to compare.',
    );
    // A replay (the warm-up on stored history) stores none: its other timeframes' states are later than it.
    const replay = (await signals('replay'))[0];
    expect(replay.confluence).toBeNull();
    await page.goto(`/signals/${replay.id}`);
    await expect(page.getByTestId('confluence-none')).toContainText('Not recorded for a replayed signal');
  });

  test('an unknown signal id shows a not-found state', async ({ page }) => {
    await page.goto('/signals/00000000-0000-0000-0000-000000000000');
    await expect(page.getByTestId('not-found')).toContainText('Signal not found');
  });

  test('history shows outcomes', async ({ page }) => {
    await expect(async () => {
      // Live and replayed signals: the seed's closes are mostly warm-up replays (live-only is the default).
      await page.goto('/history?origin=all');
      await expect(page.getByTestId('history-outcome').first()).toHaveText(
        /Target hit|Stop hit|Invalidated|Expired/,
        { timeout: 5_000 },
      );
    }).toPass({ timeout: 90_000 });
    await expect(page.getByTestId('outcome-stats')).toBeVisible();
    // The global stylesheet applies under the backend's CSP (no inline onload handler to swap it in).
    const panelBackground = await page
      .locator('.panel')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(panelBackground).not.toBe('rgba(0, 0, 0, 0)');
    await expect(page.getByTestId('cumulative-r')).toBeVisible();
    await screenshotBoth(page, 'history');
  });

  test('the system page shows freshness and, with the admin key, admin status', async ({ page }) => {
    await page.goto('/system');
    await expect(page.getByRole('heading', { name: 'System' })).toBeVisible();
    await expect(page.locator('.panel').first()).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');
    // Every symbol of the universe (global-setup: 8, each with stored 5m candles) has a freshness row.
    await expect(page.getByTestId('freshness-table').locator('tbody tr')).toHaveCount(8);
    await screenshotBoth(page, 'system');
    await page.getByTestId('admin-key').fill('wrong-key-wrong-key');
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect(page.getByTestId('admin-error')).toContainText('401');
    await page.getByRole('button', { name: 'Forget key' }).click();
    await page.getByTestId('admin-key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect(page.getByTestId('admin-error')).toHaveCount(0);
    // The scans global-setup waited for are listed.
    await expect(page.getByTestId('admin-panel').locator('table tbody tr').first()).toBeVisible();
    await page.getByTestId('scan-now').click();
    await expect(page.getByTestId('admin-result')).toContainText('Scan queued');
    await screenshotBoth(page, 'system-admin');
  });
});
