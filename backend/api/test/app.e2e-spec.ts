import { SIGNALS_NAMESPACE, SignalsSnapshotPayload, SocketEvents } from '@scanner/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { io, Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RunningApp, startApp } from '../src/bootstrap';
import { JobQueue } from '../src/scheduler/job-queue';
import { storeOldClosedSignal } from './support/old-closed-signal';
import { createTestEnvironment, eventually, TestEnvironment } from './support/test-env';

describe('app (all role): HTTP, Socket.IO, jobs, dashboard', () => {
  let environment: TestEnvironment;
  let running: RunningApp;
  let url: string;
  let dashboardDir: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
    dashboardDir = mkdtempSync(path.join(tmpdir(), 'scanner-dashboard-'));
    writeFileSync(
      path.join(dashboardDir, 'index.html'),
      '<!doctype html><title>Signal Scanner</title><app-root></app-root>',
    );
    writeFileSync(path.join(dashboardDir, 'main.js'), 'console.log("dashboard")');
    running = await startApp(
      environment.config({ DASHBOARD_DIR: dashboardDir, CORS_ORIGINS: 'http://allowed.example' }),
      { host: '127.0.0.1' },
    );
    url = running.url as string;
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await running?.close();
    await environment?.cleanup();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  function connect(extraHeaders: Record<string, string> = {}): Socket {
    const socket = io(`${url}${SIGNALS_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders,
    });
    sockets.push(socket);
    return socket;
  }

  it('answers liveness', async () => {
    const response = await request(url).get('/api/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.process.status).toBe('up');
  });

  it('is ready: the database (and Redis when configured) answer', async () => {
    const response = await request(url).get('/api/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.details.database.status).toBe('up');
    if (environment.env.REDIS_URL) expect(response.body.details.redis.status).toBe('up');
    else expect(response.body.details.redis).toBeUndefined();
    expect(response.body.details.scans).toMatchObject({
      status: 'up',
      note: 'waiting for the first successful scan',
    });
    if (environment.env.DATABASE_URL) expect(response.body.details.disk).toBeUndefined();
    else
      expect(response.body.details.disk).toMatchObject({ status: 'up', freeMegabytes: expect.any(Number) });
  });

  it('publishes its OpenAPI document', async () => {
    const response = await request(url).get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/health/ready']),
    );
  });

  it('serves Prometheus metrics outside /api, with HTTP durations by route pattern', async () => {
    await request(url).get('/api/health/ready').expect(200);
    const response = await request(url).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /scanner_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/ready",status="200"\} \d+/,
    );
    expect(response.text).toContain('scanner_process_resident_memory_bytes');
  });

  it('sends security headers and a request id', async () => {
    const response = await request(url).get('/api/health').set('X-Request-Id', 'trace-123').expect(200);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const generated = await request(url)
      .get('/api/health')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a malformed JSON body with 400 naming the problem, no stack', async () => {
    const response = await request(url)
      .post('/api/health')
      .set('Content-Type', 'application/json')
      .send('{bad')
      .expect(400);
    expect(JSON.stringify(response.body)).toMatch(/JSON/);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers unknown API routes with a JSON 404, not the dashboard', async () => {
    const response = await request(url).get('/api/nope').expect(404);
    expect(response.body.message).toMatch(/Cannot GET \/api\/nope/);
  });

  it('serves the dashboard at / and for client-side routes', async () => {
    const root = await request(url).get('/').expect(200);
    expect(root.text).toContain('<app-root>');
    const deep = await request(url).get('/signals/abc').expect(200);
    expect(deep.text).toContain('<app-root>');
    await request(url).get('/main.js').expect(200);
    await request(url).get('/missing.js').expect(404);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const allowed = await request(url)
      .options('/api/health')
      .set('Origin', 'http://allowed.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://allowed.example');
    const refused = await request(url)
      .options('/api/health')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await request(url).get('/api/health').set('Origin', 'http://evil.example').expect(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends signals.snapshot on connect to /signals', async () => {
    const socket = connect();
    const snapshot = await new Promise<SignalsSnapshotPayload>((resolve, reject) => {
      socket.on(SocketEvents.snapshot, resolve);
      socket.on('connect_error', reject);
    });
    expect(snapshot).toEqual({ seq: 0, signals: [] });
  });

  it('accepts sockets from the same origin and allowed origins, refuses others', async () => {
    const outcome = (socket: Socket) =>
      new Promise<string>((resolve) => {
        socket.on('connect', () => resolve('connected'));
        socket.on('connect_error', () => resolve('refused'));
      });
    expect(await outcome(connect({ Origin: url }))).toBe('connected');
    expect(await outcome(connect({ Origin: 'http://allowed.example' }))).toBe('connected');
    expect(await outcome(connect({ Origin: 'http://evil.example' }))).toBe('refused');
  });

  it('runs a job end to end through the configured driver (Bull on Redis or in-process)', async () => {
    const jobs = running.app.get(JobQueue);
    expect(jobs.driver).toBe(environment.env.REDIS_URL ? 'bull' : 'in-process');
    const tick = new Date(Date.UTC(2026, 0, 1, 0, 10)).toISOString();
    const stillStored = await storeOldClosedSignal(running.app.get(DataSource), 'PURGEUSDT');
    expect(await stillStored()).toBe(true);
    expect(await jobs.enqueue('purge-history', { tick }, { jobId: `purge-history:${tick}` })).toBe(true);
    expect(await jobs.enqueue('purge-history', { tick }, { jobId: `purge-history:${tick}` })).toBe(false);
    await eventually(async () => !(await stillStored()), 15_000, 'the purge of the old closed signal');
  });
});

describe('readiness follows the scans', () => {
  let environment: TestEnvironment;
  let running: RunningApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // A scan every second and an exchange that is not there: no scan ever succeeds.
    running = await startApp(
      environment.config({ SCAN_CRON: '*/1 * * * * *', BINANCE_REST_URL: 'http://127.0.0.1:9' }),
      { host: '127.0.0.1' },
    );
  });

  afterAll(async () => {
    await running?.close();
    await environment?.cleanup();
  });

  it('is 503 naming the scans when none succeeded for 3 scan periods, and 200 again after one does', async () => {
    const url = running.url as string;
    const down = await eventually(
      async () => {
        const response = await request(url).get('/api/health/ready');
        return response.status === 503 ? response : undefined;
      },
      15_000,
      'readiness to fail',
    );
    expect(down.body.error.scans).toMatchObject({ status: 'down', maxAgeSeconds: 3 });
    await running.app
      .get(DataSource)
      .query(
        `INSERT INTO scan_runs (trigger, status, started_at, finished_at, duration_ms) VALUES ('test', 'ok', now(), now(), 1)`,
      );
    const up = await request(url).get('/api/health/ready').expect(200);
    expect(up.body.details.scans.status).toBe('up');
  });
});
