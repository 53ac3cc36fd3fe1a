import type { Page } from '@playwright/test';
import * as path from 'node:path';
import { SCREENSHOTS_DIR } from './paths';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

/** Saves desktop and 390 px phone screenshots of the current page under test-artifacts/screenshots. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({
      path: path.join(SCREENSHOTS_DIR, `${name}-${label}.png`),
      fullPage: label === 'phone',
    });
  }
  await page.setViewportSize(DESKTOP);
}
