import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const main = path.resolve(__dirname, '..', 'dist', 'main.js');

describe('start-up with a bad configuration', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" before the e2e suites`);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ APP_ROLE: 'worker' }, 'APP_ROLE'],
    [{ SCAN_TIMEFRAMES: '5m,2m' }, 'SCAN_TIMEFRAMES'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
  ])('exits non-zero with one line naming the variable (%j)', (env, variable) => {
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} must be`));
  });
});
