import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startApp } from '../../src/bootstrap';
import { parseEnv } from '../../src/config/env-schema';
import { freePort, poll, spawnNode, type AppProcess } from './app-process';
import { assertLocalOnlyConfig } from './local-only';
import { createTestEnvironment, eventually, NotYet, UNREACHABLE_EXCHANGE } from './test-env';

describe('tests never reach beyond this machine', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'scanner-local-only-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('an in-process app left on the default exchange (api.binance.com) is refused before it boots, naming the variable', async () => {
    // jest-setup.ts wraps startApp: without that guard this would boot an app that calls Binance.
    await expect(
      startApp(parseEnv({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'fatal' }), { host: '127.0.0.1' }),
    ).rejects.toThrow(
      /BINANCE_REST_URL=https:\/\/api\.binance\.com, BINANCE_WS_URL=wss:\/\/stream\.binance\.com:9443/,
    );
  });

  it('a configured notification channel on a public host is refused; an unconfigured one is not checked', () => {
    const local = { ...UNREACHABLE_EXCHANGE, DATA_DIR: dataDir };
    expect(() =>
      assertLocalOnlyConfig(parseEnv({ ...local, TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_CHAT_ID: '1' })),
    ).toThrow(/TELEGRAM_API_URL=https:\/\/api\.telegram\.org/);
    expect(() =>
      assertLocalOnlyConfig(parseEnv({ ...local, NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/x' })),
    ).toThrow(/NOTIFY_WEBHOOK_URL=/);
    expect(() => assertLocalOnlyConfig(parseEnv(local))).not.toThrow();
  });

  it('a child process without a local exchange is refused before it is spawned', async () => {
    await expect(
      spawnNode(['-e', 'console.log("up")'], {
        cwd: dataDir,
        env: { PATH: process.env.PATH },
        ready: 'up',
        timeoutMs: 5_000,
        what: 'the child',
      }),
    ).rejects.toThrow(
      /the child would reach beyond this machine: BINANCE_REST_URL=https:\/\/api\.binance\.com/,
    );
  });

  it("the test environment's default exchange is a loopback port that refuses connections", async () => {
    const environment = await createTestEnvironment({ redis: false });
    try {
      const config = environment.config();
      expect([config.binanceRestUrl, config.binanceWsUrl]).toEqual([
        UNREACHABLE_EXCHANGE.BINANCE_REST_URL,
        UNREACHABLE_EXCHANGE.BINANCE_WS_URL,
      ]);
      await expect(fetch(`${config.binanceRestUrl}/api/v3/ping`)).rejects.toMatchObject({
        cause: { code: 'ECONNREFUSED' },
      });
    } finally {
      await environment.cleanup();
    }
  });
});

describe('polling an app process that may be dying', () => {
  let resetting: Server;
  afterAll(() => new Promise((resolve) => resetting?.close(resolve)));

  async function idleChild(url: string): Promise<AppProcess> {
    const started = await spawnNode(['-e', 'console.log("up"); setInterval(() => undefined, 1000)'], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH, ...UNREACHABLE_EXCHANGE },
      ready: 'up',
      timeoutMs: 10_000,
      what: 'the idle child',
    });
    return { ...started, url, adminKey: '' };
  }

  it('a refused or reset connection to a live process is "not yet"; once the process has exited the poll fails naming it', async () => {
    const refused = await idleChild(`http://127.0.0.1:${await freePort()}`);
    try {
      await expect(poll(refused, '/admin/status')).rejects.toThrow(NotYet);
      await expect(eventually(() => poll(refused, '/admin/status'), 300, 'the status')).rejects.toThrow(
        /timed out after 300 ms waiting for the status \(last attempt: GET \/admin\/status: ECONNREFUSED \(the app at .* is still running\)\)/,
      );
      // A server that drops the connection mid-request (as a process being killed does).
      resetting = createServer((request) => request.socket.destroy());
      await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
      const address = resetting.address();
      const reset = {
        ...refused,
        url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
      };
      await expect(poll(reset, '/admin/status')).rejects.toThrow(NotYet);
    } finally {
      refused.child.kill('SIGKILL');
    }
    await refused.exited;
    await expect(poll(refused, '/admin/status')).rejects.toThrow(
      /ECONNREFUSED: the app at http:\/\/127\.0\.0\.1:\d+ has exited \(SIGKILL\)/,
    );
    await expect(eventually(() => poll(refused, '/admin/status'), 5_000)).rejects.toThrow(/has exited/);
  });

  it('an HTTP error answer is not "not yet": it fails the poll at once', async () => {
    const server = createServer((_request, response) => response.writeHead(500).end('boom'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const app = await idleChild(
      `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
    );
    try {
      await expect(eventually(() => poll(app, '/admin/status'), 10_000)).rejects.toThrow(
        'GET /admin/status: HTTP 500 boom',
      );
    } finally {
      app.child.kill('SIGKILL');
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
