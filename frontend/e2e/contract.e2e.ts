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
    // Each card shows the other timeframes at creation (issue 17), named for screen readers, and still
    // fits its fixed-height card at every width.
    const card = page.getByTestId('signal-card').first();
    const marks = card.getByTestId('confluence');
    await expect(marks).toHaveAttribute('role', 'img');
    await expect(marks).toHaveAttribute(
      'aria-label',
      /^Other timeframes — (\d+[mh]: [^;]+; ){2}\d+[mh]: [^.]+\. \d of 4 timeframes agree$/,
    );
    await expect(marks).toHaveText(/^(\d+[mh][▲▼△▽–]✓?){3}$/);
    for (const width of [360, 390, 1024, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      // Polled: the grid re-lays its columns out after the resize.
      await expect
        .poll(
          () =>
            page.evaluate(() =>
              [...document.querySelectorAll<HTMLElement>('[data-testid=signal-card]')]
                .filter((c) => (c.querySelector('article') as HTMLElement).scrollHeight > c.clientHeight)
                .map((c) => c.dataset['id']),
            ),
          { message: `cards whose content overflows at ${width} px` },
        )
        .toEqual([]);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    const id = await card.getAttribute('data-id');
    await card.getByTestId('card-symbol').click();
    await expect(page).toHaveURL(/\/signals\/perf-\d+$/);
    await expect(page).toHaveURL(new RegExp(`/signals/${id}$`));
    await expect(page.getByTestId('confluence-agreement')).toHaveText(/^\d of 4 timeframes agree$/);
    await expect(page.getByTestId('confluence-table').locator('tbody tr')).toHaveCount(3);
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
