// Which Chromium the browser tests drive, and whether this machine has it. Shared by the browser-test
// runner (run-browser-tests.mjs) and `npm test` (scripts/run-tests.mjs), which leaves the browser tests
// out without it unless REQUIRE_BROWSER=1. playwright.config.ts launches the same path.
import { accessSync, constants, statSync } from 'node:fs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium (never a downloaded browser), or CHROMIUM_PATH when set. */
export function chromiumPath() {
  return process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
}

/** Why the browser tests cannot run on this machine, with how to fix it; null when they can. */
export function chromiumMissing() {
  const file = chromiumPath();
  try {
    accessSync(file, constants.X_OK);
    if (statSync(file).isFile()) return null;
  } catch {
    // not there, or not executable: reported below
  }
  const fix =
    file === DEBIAN_CHROMIUM
      ? 'apt-get install -y chromium'
      : 'point CHROMIUM_PATH at a Chromium, or unset it and apt-get install -y chromium';
  return `no executable ${file} — ${fix}`;
}
