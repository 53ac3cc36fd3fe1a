import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/** Controls the machine's own Postgres cluster and Redis server (as CI starts them). */
export const services = {
  available(): string | null {
    if (!existsSync('/etc/postgresql')) return 'no Postgres cluster to stop and start (pg_ctlcluster)';
    try {
      execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    } catch {
      return 'no redis-server to restart';
    }
    return null;
  },
  postgresVersion(): string {
    return readdirSync('/etc/postgresql')[0];
  },
  stopPostgres(): void {
    execFileSync(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', this.postgresVersion(), 'main', 'stop', '-m', 'fast'],
      { stdio: 'ignore' },
    );
  },
  startPostgres(): void {
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', this.postgresVersion(), 'main', 'start'], {
      stdio: 'ignore',
    });
  },
  postgresUp(): boolean {
    try {
      execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
  stopRedis(): void {
    execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'shutdown', 'nosave'], { stdio: 'ignore' });
  },
  startRedis(): void {
    execFileSync(
      'redis-server',
      [
        '--daemonize',
        'yes',
        '--bind',
        '127.0.0.1',
        '-::1',
        '--port',
        '6379',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
  },
  redisUp(): boolean {
    try {
      return (
        execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping'], { encoding: 'utf8' }).trim() ===
        'PONG'
      );
    } catch {
      return false;
    }
  },
  /** Leaves both services running, whatever happened. */
  restoreAll(): void {
    if (!this.postgresUp()) this.startPostgres();
    if (!this.redisUp()) this.startRedis();
  },
};
