import { expect, test, type Page } from '@playwright/test';
import type { Replay, ScoringVersion } from '@scanner/contracts';
import * as path from 'node:path';
import { baseUrl } from './support/backend';
import { ADMIN_KEY, SCREENSHOTS_DIR } from './support/paths';
import { screenshotBoth } from './support/screenshots';

/**
 * The research page (issue 18) against the seeded backend: its stored 5m candles of the eight symbols are
 * what the replays read. An A/B replay is started, watched and read from the page; a second, large one
 * (200 symbols × the 15 offered timeframes: 3,000 series, most of them without candles) is watched moving
 * and cancelled.
 */
test.describe('research: A/B replays from the page', () => {
  test.use({ baseURL: baseUrl() });

  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(baseUrl() + route, {
      method,
      headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.ok, `${method} ${route}: HTTP ${response.status} ${await response.clone().text()}`).toBe(
      true,
    );
    return (await response.json()) as T;
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

  test.beforeAll(async () => {
    // An A/B replay compares two versions: the seeded backend has the default one; add a looser one.
    const versions = await api<ScoringVersion[]>('GET', '/api/admin/scoring-versions');
    if (versions.length < 2)
      await api('POST', '/api/admin/scoring-versions', {
        config: { minConfidence: 65 },
        note: 'e2e: looser threshold',
      });
  });

  async function openWithKey(page: Page): Promise<void> {
    await page.goto('/research');
    await page.getByTestId('research-admin-key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect(page.getByTestId('replay-form')).toBeVisible();
  }

  /** The detail's progress bar value each time it changes, recorded in the page. */
  async function recordProgress(page: Page): Promise<void> {
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      const read = () => {
        const bar = document.querySelector('[data-testid=replay-progress]');
        const value = bar ? `${bar.getAttribute('data-status')}:${bar.getAttribute('aria-valuenow')}` : null;
        if (value !== null && seen.at(-1) !== value) seen.push(value);
      };
      new MutationObserver(read).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      });
      read();
    });
  }
  const progressSeen = (page: Page) =>
    page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);

  test('start an A/B replay with walk-forward and Monte Carlo, watch it finish, read it side by side', async ({
    page,
  }) => {
    await openWithKey(page);
    // The form starts with the universe, 5m, the week up to the newest stored candle, active vs the other version.
    await expect(page.getByTestId('replay-symbols')).toHaveValue(/BTCUSDT/);
    await expect(page.getByTestId('replay-tf-5m')).toBeChecked();
    await page.getByTestId('replay-wf').check();
    await page.getByTestId('replay-wf-is').fill('24');
    await page.getByTestId('replay-wf-gap').fill('1');
    await page.getByTestId('replay-wf-oos').fill('12');
    await page.getByTestId('replay-mc').check();
    await page.getByTestId('replay-mc-runs').fill('500');
    await page.getByTestId('replay-mc-seed').fill('7');
    await recordProgress(page);
    await page.getByTestId('replay-start').click();
    await expect(page.getByTestId('research-outcome')).toContainText(/Replay \d+ started: 8 series/);
    const progress = page.getByTestId('replay-progress');
    await expect(progress).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
    await expect(progress).toHaveAttribute('aria-valuenow', '100');
    // The bar started at 0 (queued) and moved to 100 with the socket's progress.
    const seen = await progressSeen(page);
    expect(seen[0]).toMatch(/^queued:0$/);
    expect(seen.at(-1)).toBe('done:100');

    const id = Number(
      await page.locator('[data-testid=replay-row].selected').first().getAttribute('data-id'),
    );
    const replay = await api<Replay>('GET', `/api/admin/replays/${id}`);
    const result = replay.result!;
    expect(replay.progress.candles).toBeGreaterThan(0);
    expect(result.a.signals + result.b.signals).toBeGreaterThan(0);

    const table = page.getByTestId('comparison-table');
    await expect(table.getByTestId('row-signals').getByTestId('a')).toHaveText(
      result.a.signals.toLocaleString('en-US'),
    );
    await expect(table.getByTestId('row-signals').getByTestId('b')).toHaveText(
      result.b.signals.toLocaleString('en-US'),
    );
    await expect(table.getByTestId('row-expectancy')).toContainText(`n=${result.a.stats.closed}`);
    await expect(page.getByTestId('equity-chart')).toBeVisible();
    await expect(page.getByTestId('calibration-a').getByTestId('reliability-chart')).toBeVisible();
    await expect(page.getByTestId('calibration-b').getByTestId('reliability-chart')).toBeVisible();
    await expect(page.getByTestId('wf-a').getByTestId('wf-window')).toHaveCount(
      result.a.walkForward!.windows.length,
    );
    expect(result.a.walkForward!.windows.length).toBeGreaterThan(0);
    if (result.differingTotal === 0) await expect(page.getByTestId('no-differences')).toBeVisible();
    else await expect(page.getByTestId('differing-row')).toHaveCount(Math.min(result.differing.length, 500));
    const mc = result.a.monteCarlo;
    await expect(page.getByTestId('mc-a')).toContainText(
      mc === null ? `No bands: ${result.a.monteCarloNote}` : `${mc.runs} runs · seed 7`,
    );
    await shot(page, 'research-result-full');
    await page.getByTestId('equity-chart').scrollIntoViewIfNeeded();
    await screenshotBoth(page, 'research-result');
  });

  test('cancel a large replay while it runs: it stops short, with no result', async ({ page }) => {
    await openWithKey(page);
    const symbols = [
      'BTCUSDT',
      'ETHUSDT',
      ...Array.from({ length: 198 }, (_, i) => `E2E${String(i).padStart(3, '0')}USDT`),
    ];
    await page.getByTestId('replay-symbols').fill(symbols.join(' '));
    const timeframes = [
      '1m',
      '3m',
      '5m',
      '15m',
      '30m',
      '1h',
      '2h',
      '4h',
      '6h',
      '8h',
      '12h',
      '1d',
      '3d',
      '1w',
      '1M',
    ];
    for (const tf of timeframes) await page.getByTestId(`replay-tf-${tf}`).check();
    await recordProgress(page);
    await page.getByTestId('replay-start').click();
    await expect(page.getByTestId('research-outcome')).toContainText(/Replay \d+ started: 3000 series/);
    const progress = page.getByTestId('replay-progress');
    // Cancelled at once, while 3,000 series are still ahead of it (the first test watches one run to
    // the end): how far it got depends only on the machine's speed, never the outcome.
    await shot(page, 'research-progress-desktop');
    await page.getByTestId('replay-detail-cancel').click();
    await expect(page.getByTestId('research-outcome')).toContainText(/cancel asked/);
    await expect(progress).toHaveAttribute('data-status', 'cancelled', { timeout: 30_000 });
    await expect(page.getByTestId('replay-progress-text')).toContainText('Cancelled after');
    const seen = await progressSeen(page);
    const running = seen.filter((v) => v.startsWith('running:')).map((v) => Number(v.split(':')[1]));
    expect(running.every((percent) => percent < 100)).toBe(true);
    const id = Number(await page.locator('[data-testid=replay-row].selected').getAttribute('data-id'));
    const replay = await api<Replay>('GET', `/api/admin/replays/${id}`);
    expect(replay.status).toBe('cancelled');
    expect(replay.progress.seriesDone).toBeLessThan(3000);
    expect(replay.result).toBeNull();
    await expect(page.locator(`[data-testid=replay-row][data-id="${id}"]`)).toHaveAttribute(
      'data-status',
      'cancelled',
    );
    await shot(page, 'research-cancelled-desktop');
  });
});
