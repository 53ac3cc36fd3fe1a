/**
 * Suites that need Redis (and Postgres, for several processes) run when REDIS_URL and DATABASE_URL are
 * set. Without them they are skipped, the reason in their name, and `npm test` (scripts/run-tests.mjs,
 * which applies the same rule) names them in its one "left out:" line; with REQUIRE_REDIS=1 (CI) their
 * absence fails the run instead — as REQUIRE_BROWSER=1 does for a missing Chromium.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const missing = ['REDIS_URL', 'DATABASE_URL'].filter((variable) => !process.env[variable]);
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.REQUIRE_REDIS === '1') {
    describe(name, () => {
      it('has Redis and Postgres to run against', () => {
        throw new Error(
          `${missing.join(' and ')} not set, but REQUIRE_REDIS=1 requires the Redis-backed suites to run`,
        );
      });
    });
    return;
  }
  describe.skip(`${name} (not run: needs ${missing.join(' and ')})`, body);
}
