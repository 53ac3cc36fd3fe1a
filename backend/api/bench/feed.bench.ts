/**
 * bench:feed — live-feed delivery latency, commit → client receipt, at 1, 100 and 1,000 clients.
 *
 *   npm run bench:feed -w @scanner/api      (BENCH_RATE, BENCH_SECONDS, BENCH_CLIENTS to change)
 *
 * Three kinds of process, so the clients don't distort the server: this orchestrator; one server
 * (the built app, role `all`, on a temp PGlite — or a fresh Postgres database when DATABASE_URL is
 * set) that also commits the events through its own DataSource, the way SignalStore does; and client
 * processes with up to 500 socket.io-client sockets each (websocket transport). Times are
 * `performance.timeOrigin + performance.now()`, comparable across processes on one machine.
 * The server process runs on plain node with scripts/swc-register.cjs: tsx (esbuild) emits no decorator
 * metadata, which Nest DI needs.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { machineLine } from './machine-load';
import { createDatabase, type Message, percentile, request, sleep, stopChild } from './support';

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,100,1000').split(',').map(Number);
const SOCKETS_PER_PROCESS = 500;

const now = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- server process

async function server(): Promise<void> {
  // Plain require: this process runs on node with scripts/swc-register.cjs (see orchestrate()).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startApp } = require('../src/bootstrap') as typeof import('../src/bootstrap');
  const { parseEnv } = require('../src/config/env-schema') as typeof import('../src/config/env-schema');
  const { DataSource } = require('typeorm') as typeof import('typeorm');
  const { dataSourceTransactions, SignalEventWriter } =
    require('../test/support/signal-event-writer') as typeof import('../test/support/signal-event-writer');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-feed-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    APP_ROLE: 'all',
    // No exchange in a benchmark: market-data jobs fail fast against a closed port.
    BINANCE_REST_URL: 'http://127.0.0.1:9',
    BINANCE_WS_URL: 'ws://127.0.0.1:9',
    SCAN_CRON: '0 0 0 1 1 *',
  };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const running = await startApp(parseEnv(env), { host: '127.0.0.1' });
  const writer = new SignalEventWriter(dataSourceTransactions(running.app.get(DataSource)));
  const send = (message: Message) => process.send?.(message);
  send({
    type: 'ready',
    url: running.url,
    pid: process.pid,
    database: env.DATABASE_URL ? 'postgres' : 'pglite',
  });

  process.on('message', async (message: Message) => {
    if (message.type === 'stop') {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
    if (message.type !== 'run') return;
    const rate = message.rate as number;
    const total = Math.round(rate * (message.seconds as number));
    const commits: Array<[number, number]> = [];
    const open: Awaited<ReturnType<typeof writer.create>>['signal'][] = [];
    let rssMax = process.memoryUsage().rss;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 250);
    const start = now();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < total; i += 1) {
      const wait = start + (i * 1000) / rate - now();
      if (wait > 0) await sleep(wait);
      let event;
      if (open.length < 10 || i % 3 === 0) {
        event = await writer.create();
        open.push(event.signal);
      } else if (i % 3 === 1) {
        const index = i % open.length;
        event = await writer.update(open[index]);
        open[index] = event.signal;
      } else {
        event = await writer.close(open.splice(i % open.length, 1)[0]);
      }
      commits.push([event.seq, now()]);
    }
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuStart);
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / (now() - start)) * 100;
    send({
      type: 'ran',
      commits,
      rssMax,
      cpuPercent,
      rss: process.memoryUsage().rss,
      achievedRate: total / ((now() - start) / 1000),
    });
  });
}

// ---------------------------------------------------------------- client process

async function clients(url: string, count: number): Promise<void> {
  const { io } = await import('socket.io-client');
  const received: Array<[number, number]> = [];
  const sockets: ReturnType<typeof io>[] = [];
  let ready = 0;
  for (let i = 0; i < count; i += 1) {
    const socket = io(`${url}/signals`, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('signals.snapshot', () => (ready += 1));
    const record = (payload: { seq: number }) => received.push([payload.seq, now()]);
    socket.on('signal.created', record);
    socket.on('signal.updated', record);
    socket.on('signal.deleted', record);
    sockets.push(socket);
    if (i % 50 === 49) await sleep(20);
  }
  while (ready < count) await sleep(50);
  process.send?.({ type: 'ready' });
  process.on('message', (message: Message) => {
    if (message.type !== 'collect') return;
    const committedAt = new Map(message.commits as Array<[number, number]>);
    const latencies: number[] = [];
    for (const [seq, at] of received) {
      const committed = committedAt.get(seq);
      if (committed !== undefined) latencies.push(Math.round((at - committed) * 100) / 100);
    }
    sockets.forEach((socket) => socket.disconnect());
    process.send?.({ type: 'collected', latencies }, () => process.exit(0));
  });
}

// ---------------------------------------------------------------- orchestrator

async function orchestrate(): Promise<void> {
  const machine = await machineLine();
  const database = process.env.DATABASE_URL
    ? await createDatabase(process.env.DATABASE_URL, 'bench_feed')
    : null;
  // The server on plain node + swc (decorator metadata; tsx's hooks break @nestjs/terminus).
  const serverProcess = fork(__filename, ['server'], {
    env: { ...process.env, BENCH_DATABASE_URL: database?.url ?? '' },
    execArgv: ['--require', path.join(__dirname, '..', 'scripts', 'swc-register.cjs')],
  });
  try {
    const ready = await request<Message>(serverProcess, null, 'ready');
    const url = ready.url as string;
    process.stdout.write(
      `bench:feed — ${RATE} events/s for ${SECONDS} s, server pid ${ready.pid} (${ready.database}), ${cpus().length} CPUs shared by server and clients\n${machine}\n\n`,
    );
    process.stdout.write(
      'clients  delivered           p50 ms   p99 ms   max ms   server RSS (max), server CPU, commit rate\n',
    );
    for (const count of CLIENT_COUNTS) {
      const processes = Math.ceil(count / SOCKETS_PER_PROCESS);
      const children = Array.from({ length: processes }, (_, index) => {
        const share = Math.floor(count / processes) + (index < count % processes ? 1 : 0);
        return fork(__filename, ['clients', url, String(share)]);
      });
      await Promise.all(children.map((child) => request(child, null, 'ready')));
      const ran = await request<Message>(serverProcess, { type: 'run', rate: RATE, seconds: SECONDS }, 'ran');
      await sleep(2_000);
      const results = await Promise.all(
        children.map((child) =>
          request<Message>(child, { type: 'collect', commits: ran.commits }, 'collected'),
        ),
      );
      const latencies = results.flatMap((result) => result.latencies as number[]).sort((a, b) => a - b);
      const expected = count * (ran.commits as unknown[]).length;
      const mb = (bytes: unknown) => `${Math.round((bytes as number) / 1_048_576)} MB`;
      process.stdout.write(
        `${String(count).padStart(7)}  ${`${latencies.length}/${expected}`.padEnd(18)} ${percentile(latencies, 50).toFixed(1).padStart(7)}  ${percentile(latencies, 99).toFixed(1).padStart(7)}  ${latencies[latencies.length - 1].toFixed(1).padStart(7)}   ${mb(ran.rss)} (${mb(ran.rssMax)}), ${Math.round(ran.cpuPercent as number)}% CPU, ${(ran.achievedRate as number).toFixed(1)} commits/s\n`,
      );
      await sleep(500);
    }
  } finally {
    await stopChild(serverProcess);
    await database?.drop();
  }
}

const [role, ...args] = process.argv.slice(2);
const main =
  role === 'server' ? server() : role === 'clients' ? clients(args[0], Number(args[1])) : orchestrate();
main.catch((error: Error) => {
  process.stderr.write(`bench:feed failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
