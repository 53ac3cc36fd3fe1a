import { expect, test } from '@playwright/test';
import { baseUrl } from './support/backend';
import { gridState } from './support/live-state';

test.describe('live page against the real backend', () => {
  test.use({ baseURL: baseUrl() });

  test('the shell says connected and shows the live page', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('connection-badge')).toHaveText('connected');
    await expect(page.getByTestId('connection-badge')).toHaveAttribute('aria-label', 'Live feed connected');
    await expect(page.getByRole('heading', { name: 'Live signals' })).toBeVisible();
    // global-setup waited for active signals from the app's own scans: cards, never the empty state.
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
  });

  test('cards appear and change without a reload', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
    const before = await gridState(page);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await expect
      .poll(async () => JSON.stringify(await gridState(page)) !== JSON.stringify(before), { timeout: 90_000 })
      .toBe(true);
    expect(navigations).toEqual([]);
    await expect(page.getByTestId('stat-updates')).not.toContainText(/^Updates \(1 min\)\s*0/);
  });

  test('filters and sort change the grid and the URL, and survive a reload', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });

    await page.getByTestId('sort').selectOption('symbol');
    await expect(page).toHaveURL(/sort=symbol/);
    const symbols = await page.getByTestId('card-symbol').allTextContents();
    expect(symbols).toEqual([...symbols].sort((a, b) => a.localeCompare(b)));

    await page.getByTestId('direction-LONG').click();
    await expect(page).toHaveURL(/direction=LONG/);
    for (const badge of await page
      .locator('app-signal-card:not(.closing) app-direction-badge')
      .allTextContents())
      expect(badge.trim()).toBe('LONG');

    await page.getByTestId('min-confidence').fill('85');
    await expect(page).toHaveURL(/minConfidence=85/);
    for (const card of await page.locator('app-signal-card:not(.closing) [data-testid=confidence]').all()) {
      expect(Number(await card.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(85);
    }

    await page.reload();
    await expect(page.getByTestId('direction-LONG')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('sort')).toHaveValue('symbol');
    await expect(page.getByTestId('min-confidence')).toHaveValue('85');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('the condition breakdown opens on keyboard focus', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('signal-card').first()).toBeVisible({ timeout: 90_000 });
    await page.getByTestId('confidence').first().focus();
    await expect(page.getByTestId('breakdown').locator('tbody tr')).toHaveCount(8);
  });
});
