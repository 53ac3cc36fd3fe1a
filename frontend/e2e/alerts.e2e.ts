import { expect, test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrl } from './support/backend';
import { ADMIN_KEY } from './support/paths';
import { screenshotBoth } from './support/screenshots';

const SECRET = 'playwright-webhook-secret';

/** A local webhook sink: every request's headers and body. */
async function sink(): Promise<{
  url: string;
  requests: { headers: Record<string, unknown>; body: string }[];
  close: () => Promise<void>;
}> {
  const requests: { headers: Record<string, unknown>; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test.describe('alerts page against the real backend', () => {
  test.use({ baseURL: baseUrl() });

  test('creates, edits and test-sends a rule from the page; the delivery log shows the test', async ({
    page,
  }) => {
    const hook = await sink();
    try {
      await page.goto('/alerts');
      await expect(page.getByRole('heading', { name: 'Alerts' })).toBeVisible();
      await page.getByTestId('alerts-admin-key').fill(ADMIN_KEY);
      await page.getByRole('button', { name: 'Use key' }).click();

      // Create: a bad number is named before anything is sent; the server names a bad URL.
      await page.getByTestId('new-rule').click();
      await page.getByTestId('rule-name').fill('BTC/ETH longs, 2 timeframes');
      await page.getByTestId('rule-pattern').fill('BTCUSDT|ETHUSDT');
      await page.getByTestId('rule-direction').selectOption('LONG');
      await page.getByTestId('rule-cooldown').fill('');
      await page.getByTestId('channel-url-0').fill('not a url');
      await page.getByTestId('save-rule').click();
      await expect(page.getByRole('alert').filter({ hasText: 'Cooldown: enter a number' })).toBeVisible();
      await page.getByTestId('rule-cooldown').fill('60');
      await page.getByTestId('save-rule').click();
      await expect(page.getByTestId('alerts-outcome')).toContainText('channels[0].url: an http(s) URL');
      await page.getByTestId('channel-url-0').fill(hook.url);
      await page.getByTestId('channel-secret-0').fill(SECRET);
      await page.getByTestId('save-rule').click();
      await expect(page.getByTestId('alerts-outcome')).toContainText('Saved “BTC/ETH longs, 2 timeframes”');
      const row = page.getByTestId('rule-row').filter({ hasText: 'BTC/ETH longs, 2 timeframes' });
      await expect(row).toContainText('BTCUSDT|ETHUSDT');
      await expect(row).toContainText('LONG ≥ 70%');
      await expect(row).toContainText('cooldown 60 min');

      // Edit: the masked secret stays as stored.
      await row.getByTestId('edit-rule').click();
      await expect(page.getByTestId('rule-name')).toHaveValue('BTC/ETH longs, 2 timeframes');
      await page.getByTestId('rule-name').fill('BTC/ETH longs confirmed');
      await page.getByTestId('rule-agreeing').fill('1');
      await page.getByTestId('save-rule').click();
      await expect(page.getByTestId('alerts-outcome')).toContainText('Saved “BTC/ETH longs confirmed”');
      const edited = page.getByTestId('rule-row').filter({ hasText: 'BTC/ETH longs confirmed' });
      await expect(edited).toBeVisible();

      // Send test: the sink gets one signed request; the page and the delivery log say so.
      await edited.getByTestId('test-rule').click();
      await expect(page.getByTestId('alerts-outcome')).toContainText('webhook');
      await expect(page.getByTestId('alerts-outcome')).toContainText('sent (HTTP 200');
      expect(hook.requests).toHaveLength(1);
      const [request] = hook.requests;
      expect(request.headers['x-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`,
      );
      expect(JSON.parse(request.body)).toMatchObject({
        event: 'test',
        rule: { name: 'BTC/ETH longs confirmed' },
      });
      await edited.getByTestId('log-rule').click();
      await expect(page.getByTestId('delivery-row').first()).toContainText('test');
      await expect(page.getByTestId('delivery-row').first()).toContainText('sent');
      await screenshotBoth(page, 'alerts');
      // The rules and log tables scroll inside their panels: the page itself is never wider than a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.setViewportSize({ width: 1440, height: 900 });

      page.once('dialog', (dialog) => void dialog.accept());
      await edited.getByTestId('delete-rule').click();
      await expect(page.getByTestId('alerts-outcome')).toContainText('Deleted');
      await expect(page.getByTestId('rule-row').filter({ hasText: 'BTC/ETH longs confirmed' })).toHaveCount(
        0,
      );
    } finally {
      await hook.close();
    }
  });
});
