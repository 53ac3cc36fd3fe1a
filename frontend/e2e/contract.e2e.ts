import { expect, test } from '@playwright/test';
import { ContractTestServer } from './support/contract-test-server';
import { screenshotBoth } from './support/screenshots';

/**
 * The detail page against the contract server: the chart draws candles with overlays, three price lines
 * and a marker. (pages.e2e.ts covers the same against the real backend and its scanned signals.)
 */
test('the detail page draws the chart with entry, stop and target lines, and 404s an unknown id', async ({
  page,
}) => {
  const server = new ContractTestServer(12);
  const url = await server.listen();
  try {
    await page.goto(url + '/');
    await page.getByTestId('card-symbol').first().click();
    await expect(page).toHaveURL(/\/signals\/perf-\d+$/);
    const chart = page.getByTestId('signal-chart');
    await expect(chart).toHaveAttribute('data-price-lines', '3');
    await expect(chart).toHaveAttribute('data-bars', '300');
    const colours = await chart.evaluate((host) => {
      const seen = new Set<number>();
      for (const canvas of host.querySelectorAll('canvas')) {
        const ctx = canvas.getContext('2d');
        if (!ctx || !canvas.width || !canvas.height) continue;
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4 * 53)
          seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return seen.size;
    });
    expect(colours).toBeGreaterThan(10);
    await expect(page.getByTestId('event-table')).toBeVisible();
    await screenshotBoth(page, 'detail-contract');

    await page.goto(url + '/signals/no-such-id');
    await expect(page.getByTestId('not-found')).toContainText('Signal not found');
  } finally {
    await server.close();
  }
});
