import { expect, test } from '@playwright/test';
import { backendPort } from './support/backend';
import { CuttableProxy } from './support/cuttable-proxy';
import { gridState, serverState } from './support/live-state';

test('cutting the socket shows reconnecting; recovering restores the exact server state', async ({
  page,
}) => {
  const proxy = new CuttableProxy(backendPort());
  await proxy.start();
  try {
    await page.goto(proxy.url + '/');
    const badge = page.getByTestId('connection-badge');
    await expect(badge).toHaveText('connected');
    // The live page itself (its code is loaded lazily) is on screen before the network goes.
    await expect(page.locator('app-live-page')).toBeAttached();

    proxy.cutAll();
    await expect(badge).toContainText('reconnecting');
    await expect(badge).toContainText(/attempt \d+/, { timeout: 30_000 });
    // The scanner keeps going meanwhile (×600 clock): signals are created, updated and closed while we are away.
    await page.waitForTimeout(8_000);

    proxy.restore();
    await expect(badge).toHaveText('connected', { timeout: 30_000 });
    // The grid must equal the server's active set (ids and versions); retried until a quiet moment between scans.
    await expect(async () => {
      const server = await serverState(`http://127.0.0.1:${backendPort()}`);
      expect(await gridState(page)).toEqual(server.state);
    }).toPass({ timeout: 30_000, intervals: [250, 500, 1000] });
  } finally {
    await proxy.stop();
  }
});
