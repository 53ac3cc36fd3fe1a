/**
 * bench:stream — from a candle's close on the exchange to a signal event on a dashboard socket, with
 * every stream of the universe closing in the same second.
 *
 *   npm run bench:stream        (BENCH_SIZES=400,1000  BENCH_TIMEFRAMES=5m,15m,1h,4h  BENCH_CLIENTS=10
 *                                BENCH_STEPS=52  BENCH_CPU_PROF=<dir>  BENCH_HEAP_SNAPSHOT=<dir>
 *                                BENCH_SERVER_NODE_FLAGS='--max-old-space-size=192'  BENCH_LOG_LEVEL=warn)
 *
 * Prints, per size: the warm-up (time, server CPU-seconds, RSS), the latencies below, REST weight in
 * steady state (and which calls; per real hour, and at the market's pace: the run moves market time 5
 * minutes per 1.5–4 s, or once the events of a close have stopped arriving, so the weight its closes
 * cause is spread over the market hours they cover), how the engine states were written (steps per
 * flush), the slowest closes, the server's CPU-seconds, RSS and where its memory is (V8 heap spaces), and
 * the CPU-seconds of this machine's Postgres beside them (in all, and per close of every stream).
 *
 * Processes: this orchestrator runs the simulator (REST + kline streams, paused virtual clock); one
 * server (the app from source, role `all`, MARKET_DATA_SOURCE=stream, a fresh Postgres database when
 * DATABASE_URL is set, PGlite otherwise); one process with the Socket.IO clients (dashboards are not in
 * the exchange's process: in this one, their garbage collections would walk the simulator's candles).
 * The orchestrator moves the virtual clock across candle closes; a 4h boundary closes every stream at
 * once (5m, 15m, 1h and 4h). Latencies are measured from the moment the clock crosses the close (t0,
 * just before the simulator sends the final klines); the time each final kline was received is shown:
 * (a) candle stored, (b) engine step done — reported by the server per series — and (c) a signal event
 * received by a client. Times are epoch ms (Date.now), comparable across processes on one machine.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { machineLine } from './machine-load';
import {
  createDatabase,
  type Message,
  percentile,
  postgresCpuSeconds,
  processCpuSeconds,
  request,
  sleep,
  stopChild,
} from './support';

const SIZES = (process.env.BENCH_SIZES ?? '400,1000').split(',').map(Number);
const TIMEFRAMES = (process.env.BENCH_TIMEFRAMES ?? '5m,15m,1h,4h').split(',');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10);
/** The run starts 20 minutes before a 4h boundary and steps 5 minutes at a time past a second one. */
const START = Date.parse(process.env.BENCH_START ?? '2024-08-06T03:40:00Z');
const STEPS = Number(process.env.BENCH_STEPS ?? 52);
/** BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (open in Chrome DevTools). */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF ?? '';
/** BENCH_HEAP_SNAPSHOT=<dir>: the server writes a heap snapshot there after the steady-state measurement. */
const HEAP_SNAPSHOT_DIR = process.env.BENCH_HEAP_SNAPSHOT ?? '';
/** BENCH_SERVER_NODE_FLAGS: node flags for the server, e.g. `--max-old-space-size=192` (a heap cap). */
const SERVER_NODE_FLAGS = (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const FIVE_MIN = 300_000;
const FOUR_H = 4 * 3_600_000;

// ---------------------------------------------------------------- server process

interface Closed {
  series: string;
  closeTime: number;
  receivedAt: number;
  storedAt: number;
  evaluatedAt: number;
}

async function server(): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startApp } = require('../src/bootstrap') as typeof import('../src/bootstrap');
  const { parseEnv } = require('../src/config/env-schema') as typeof import('../src/config/env-schema');
  const { MarketStreamService } = require('../src/market-data') as typeof import('../src/market-data');
  const { SignalStore } = require('../src/signal-engine') as typeof import('../src/signal-engine');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-stream-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    APP_ROLE: 'all',
    MARKET_DATA_SOURCE: 'stream',
    BINANCE_REST_URL: process.env.BENCH_REST_URL as string,
    BINANCE_WS_URL: process.env.BENCH_WS_URL as string,
    SCAN_TOP_N: process.env.BENCH_SYMBOLS as string,
    SCAN_TIMEFRAMES: TIMEFRAMES.join(','),
    SCAN_CRON: '0 0 0 1 1 *',
  };
  if (process.env.BENCH_DATABASE_URL) env.DATABASE_URL = process.env.BENCH_DATABASE_URL;
  const running = await startApp(parseEnv(env), { host: '127.0.0.1' });
  const warmed = new Set<string>();
  let closed: Closed[] = [];
  // Registered after the engine's listener: called once its step for the batch is done.
  running.app.get(MarketStreamService).subscribe({
    onClosedCandles: async (batch) => {
      const series = `${batch.symbol}|${batch.interval}`;
      if (batch.receivedAt === null) warmed.add(series);
      else {
        const last = batch.newClosed[batch.newClosed.length - 1];
        closed.push({
          series,
          closeTime: last.closeTime + 1,
          receivedAt: batch.receivedAt,
          storedAt: batch.storedAt,
          evaluatedAt: Date.now(),
        });
      }
    },
    onTick: () => undefined,
  });
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 200);
  const send = (message: Message) => process.send?.(message);
  send({
    type: 'ready',
    url: running.url,
    pid: process.pid,
    database: env.DATABASE_URL ? 'postgres' : 'pglite',
  });
  let cpuMark = process.cpuUsage();
  const store = running.app.get(SignalStore);
  let flushMark = store.flushStats;
  process.on('message', async (message: Message) => {
    if (message.type === 'warmed?')
      send({ type: 'warmed', count: warmed.size, rss: process.memoryUsage().rss, rssMax });
    if (message.type === 'mark') {
      cpuMark = process.cpuUsage();
      flushMark = store.flushStats;
      closed = [];
      rssMax = process.memoryUsage().rss;
      send({ type: 'marked' });
    }
    if (message.type === 'collect') {
      const cpu = process.cpuUsage(cpuMark);
      const { getHeapSpaceStatistics } = await import('node:v8');
      const flushes = store.flushStats;
      send({
        type: 'collected',
        closed,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        rss: process.memoryUsage().rss,
        rssMax,
        memory: process.memoryUsage(),
        heapSpaces: getHeapSpaceStatistics().map((space) => ({
          name: space.space_name,
          used: space.space_used_size,
          size: space.space_size,
        })),
        flushes: {
          flushes: flushes.flushes - flushMark.flushes,
          steps: flushes.steps - flushMark.steps,
          largest: flushes.largest,
        },
      });
      if (HEAP_SNAPSHOT_DIR) {
        // After the measurement: what the heap holds per series (open in Chrome DevTools).
        const { writeHeapSnapshot } = await import('node:v8');
        writeHeapSnapshot(path.join(HEAP_SNAPSHOT_DIR, `stream-${process.pid}.heapsnapshot`));
      }
    }
    if (message.type === 'stop') {
      clearInterval(sampler);
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- socket clients process

interface ReceivedEvent {
  at: number;
  candleClose: number;
}

async function clients(): Promise<void> {
  const { io } = await import('socket.io-client');
  const url = process.env.BENCH_SERVER_URL as string;
  const events: ReceivedEvent[] = [];
  const sockets: ReturnType<typeof io>[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const socket = io(`${url}/signals`, { transports: ['websocket'], reconnection: false, forceNew: true });
    // A change made by a candle's close is stamped with the candle's close time (open + interval - 1 ms).
    const record = (payload: { signal: { updatedAt: string } }) =>
      events.push({ at: Date.now(), candleClose: Date.parse(payload.signal.updatedAt) + 1 });
    socket.on('signal.created', record);
    socket.on('signal.updated', record);
    socket.on('signal.deleted', record);
    sockets.push(socket);
    await new Promise((resolve) => socket.once('signals.snapshot', resolve));
  }
  const send = (message: Message) => process.send?.(message);
  send({ type: 'connected' });
  process.on('message', (message: Message) => {
    if (message.type === 'count?') send({ type: 'count', count: events.length });
    if (message.type === 'reset') {
      events.length = 0;
      send({ type: 'reset-done' });
    }
    if (message.type === 'events?') send({ type: 'events', events });
    if (message.type === 'stop') {
      sockets.forEach((socket) => socket.disconnect());
      process.exit(0);
    }
  });
}

// ---------------------------------------------------------------- orchestrator

const row = (label: string, values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}`.padStart(7) : '      —');
  return `  ${label.padEnd(34)} ${String(sorted.length).padStart(6)} ${f(percentile(sorted, 50))} ${f(percentile(sorted, 99))} ${f(sorted[sorted.length - 1])}`;
};

async function runSize(symbols: number): Promise<void> {
  const { startExchangeSim } = await import('@scanner/exchange-sim');
  const sim = await startExchangeSim({
    intervals: TIMEFRAMES as never,
    syntheticSymbols: Math.max(0, symbols - 34),
    clock: { startTime: START, paused: true },
    log: false,
  });
  const database = process.env.DATABASE_URL
    ? await createDatabase(process.env.DATABASE_URL, 'bench_stream')
    : null;
  const serverProcess = fork(__filename, ['server'], {
    env: {
      ...process.env,
      BENCH_DATABASE_URL: database?.url ?? '',
      BENCH_REST_URL: sim.url,
      BENCH_WS_URL: sim.wsUrl,
      BENCH_SYMBOLS: String(symbols),
    },
    execArgv: [
      '--require',
      path.join(__dirname, '..', 'scripts', 'swc-register.cjs'),
      ...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : []),
      ...SERVER_NODE_FLAGS,
    ],
  });
  let clientsProcess: ChildProcess | null = null;
  try {
    const ready = await request<Message>(serverProcess, null, 'ready');
    const series = symbols * TIMEFRAMES.length;
    process.stdout.write(
      `\n${symbols} symbols × ${TIMEFRAMES.length} timeframes = ${series} streams (server pid ${ready.pid}, ${ready.database}${SERVER_NODE_FLAGS.length > 0 ? `, node ${SERVER_NODE_FLAGS.join(' ')}` : ''})\n`,
    );
    // Warm-up: every series with data at the exchange is caught up from REST and through the engine
    // (a few replayed series have no candles for some timeframe; they never report).
    const warmStart = Date.now();
    const warmCpuBefore = processCpuSeconds(ready.pid as number);
    let warmed = 0;
    let stableSince = Date.now();
    let report: Message;
    for (;;) {
      report = await request<Message>(serverProcess, { type: 'warmed?' }, 'warmed');
      const count = report.count as number;
      if (count !== warmed) [warmed, stableSince] = [count, Date.now()];
      if (warmed >= series || (warmed >= series * 0.9 && Date.now() - stableSince > 15_000)) break;
      if (Date.now() - warmStart > 1_800_000)
        throw new Error(`warm-up: only ${warmed}/${series} series after 30 min`);
      await sleep(1_000);
    }
    const mb = (bytes: unknown) => `${Math.round((bytes as number) / 1_048_576)} MB`;
    process.stdout.write(
      `  warm-up (REST + engine replay of up to 1000 candles, ${warmed}/${series} series with data): ${((Date.now() - warmStart) / 1000).toFixed(1)} s, server ${(processCpuSeconds(ready.pid as number) - warmCpuBefore).toFixed(1)} CPU-s, RSS ${mb(report.rss)} (max ${mb(report.rssMax)})\n`,
    );

    clientsProcess = fork(__filename, ['clients'], {
      env: { ...process.env, BENCH_SERVER_URL: ready.url as string },
      execArgv: ['--require', path.join(__dirname, '..', 'scripts', 'swc-register.cjs')],
    });
    await request(clientsProcess, null, 'connected');
    const received = async () =>
      (await request<Message>(clientsProcess!, { type: 'count?' }, 'count')).count as number;
    // The warm-up's replayed history goes out through the outbox too: measure from when it is out.
    const drainStart = Date.now();
    let backlog = 0;
    for (let quietSince = Date.now(); Date.now() - quietSince < 3_000;) {
      await sleep(500);
      const count = await received();
      if (count > backlog) [backlog, quietSince] = [count, Date.now()];
    }
    await request(clientsProcess, { type: 'reset' }, 'reset-done');
    process.stdout.write(
      `  outbox after the warm-up: ${Math.round(backlog / CLIENTS)} events per client, quiet after ${((Date.now() - drainStart) / 1000).toFixed(1)} s\n`,
    );
    await request(serverProcess, { type: 'mark' }, 'marked');
    const restBefore = sim.stats.snapshot();
    const cpuBefore = processCpuSeconds(ready.pid as number);
    const postgresBefore = postgresCpuSeconds();
    const steadyStart = Date.now();
    const crossings = new Map<number, number>();
    /** CPU-seconds each close cost, from its crossing until its events stopped arriving. */
    const closeCpu = new Map<number, { server: number; postgres: number | null }>();
    let now = START;
    for (let step = 0; step < STEPS; step++) {
      const close = Math.floor(now / FIVE_MIN) * FIVE_MIN + FIVE_MIN;
      now = close + 500;
      crossings.set(close, Date.now());
      const serverMark = processCpuSeconds(ready.pid as number);
      const postgresMark = postgresCpuSeconds();
      sim.clock.set(now);
      // Each close gets the time it needs, as in the market (5 minutes apart): the next one waits until
      // this one's events have stopped arriving, so a slow close is measured, not carried into the next.
      await sleep(close % FOUR_H === 0 ? 4_000 : 1_500);
      let seen = await received();
      for (const settleStart = Date.now(); Date.now() - settleStart < 15_000;) {
        await sleep(300);
        const count = await received();
        if (count === seen) break;
        seen = count;
      }
      const postgresNow = postgresCpuSeconds();
      closeCpu.set(close, {
        server: processCpuSeconds(ready.pid as number) - serverMark,
        postgres: postgresNow === null || postgresMark === null ? null : postgresNow - postgresMark,
      });
    }
    await sleep(2_000);
    const collected = await request<Message>(serverProcess, { type: 'collect' }, 'collected');
    const events = (await request<Message>(clientsProcess, { type: 'events?' }, 'events'))
      .events as ReceivedEvent[];
    const cpuSeconds = processCpuSeconds(ready.pid as number) - cpuBefore;
    const postgresAfter = postgresCpuSeconds();
    const postgresSeconds =
      postgresAfter === null || postgresBefore === null ? null : postgresAfter - postgresBefore;
    const realSeconds = (Date.now() - steadyStart) / 1000;
    const restAfter = sim.stats.snapshot();
    const closedRows = collected.closed as Closed[];
    const sinceClose = (rows: Closed[], pick: (r: Closed) => number) =>
      rows
        .filter((r) => crossings.has(r.closeTime))
        .map((r) => pick(r) - (crossings.get(r.closeTime) as number));
    const allAtOnce = closedRows.filter((r) => r.closeTime % FOUR_H === 0);
    const eventsSince = (filter: (close: number) => boolean) =>
      events
        .filter((e) => crossings.has(e.candleClose) && filter(e.candleClose))
        .map((e) => e.at - (crossings.get(e.candleClose) as number));
    process.stdout.write(
      `  ${STEPS} closes stepped (${[...crossings.keys()].filter((c) => c % FOUR_H === 0).length} of them with every stream closing at once), ${CLIENTS} socket clients\n`,
    );
    process.stdout.write(`  latency from the close, ms                 count     p50     p99     max\n`);
    process.stdout.write(
      `${row(
        'final kline received — 4h',
        sinceClose(allAtOnce, (r) => r.receivedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(a) candle stored — 4h boundaries',
        sinceClose(allAtOnce, (r) => r.storedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(b) engine step done — 4h boundaries',
        sinceClose(allAtOnce, (r) => r.evaluatedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(c) signal event at a client — 4h',
        eventsSince((c) => c % FOUR_H === 0),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        'final kline received — all',
        sinceClose(closedRows, (r) => r.receivedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(a) candle stored — all closes',
        sinceClose(closedRows, (r) => r.storedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(b) engine step done — all closes',
        sinceClose(closedRows, (r) => r.evaluatedAt),
      )}\n`,
    );
    process.stdout.write(
      `${row(
        '(c) signal event at a client — all',
        eventsSince(() => true),
      )}\n`,
    );
    // Where the tail comes from: the close instants whose last signal event arrived latest.
    const perClose = [...crossings.entries()].map(([close, sentAt]) => {
      const rows = closedRows.filter((r) => r.closeTime === close);
      const latest = (values: number[]) => (values.length > 0 ? Math.max(...values) - sentAt : NaN);
      const ofClose = events.filter((e) => e.candleClose === close);
      return {
        close,
        streams: rows.length,
        received: latest(rows.map((r) => r.receivedAt)),
        stored: latest(rows.map((r) => r.storedAt)),
        events: ofClose.length / CLIENTS,
        event: latest(ofClose.map((e) => e.at)),
        cpu: closeCpu.get(close),
      };
    });
    const slowest = perClose
      .filter((c) => Number.isFinite(c.event))
      .sort((a, b) => b.event - a.event)
      .slice(0, 3);
    process.stdout.write(
      `  slowest closes (last event at a client): ${slowest
        .map(
          (c) =>
            `${new Date(c.close).toISOString().slice(11, 16)} (${c.streams} streams, ${c.events} events) received by ${Math.round(c.received)} ms, stored by ${Math.round(c.stored)} ms, last event ${Math.round(c.event)} ms${c.cpu === undefined ? '' : `, ${cpuNote(c.cpu)}`}`,
        )
        .join('; ')}\n`,
    );
    const totalWeight = (snapshot: typeof restAfter) =>
      snapshot.weightByMinute.reduce((sum, minute) => sum + minute.weight, 0);
    const weight = totalWeight(restAfter) - totalWeight(restBefore);
    const calls = Object.entries(restAfter.byPath)
      .map(([route, count]) => [route, count - (restBefore.byPath[route] ?? 0)] as const)
      .filter(([, count]) => count > 0)
      .map(([route, count]) => `${count} ${route}`);
    const perHour = (weight / realSeconds) * 3600;
    const marketHours = (now - START) / 3_600_000;
    process.stdout.write(
      `  REST in steady state: ${weight} weight (calls: ${calls.join(', ') || 'none'}) in ${realSeconds.toFixed(0)} s real / ${marketHours.toFixed(1)} market hours = ${Math.round(perHour)} per real hour, ${((perHour / (6000 * 60)) * 100).toFixed(3)}% of Binance's 6,000/min; at the market's pace (closes once per interval, as live) ${Math.round(weight / marketHours)} per hour, ${((weight / marketHours / (6000 * 60)) * 100).toFixed(3)}%\n`,
    );
    const flushes = collected.flushes as { flushes: number; steps: number; largest: number };
    process.stdout.write(
      `  engine states written: ${flushes.steps} steps in ${flushes.flushes} flushes (${flushes.flushes > 0 ? (flushes.steps / flushes.flushes).toFixed(1) : '—'} per flush; largest since start ${flushes.largest})\n`,
    );
    process.stdout.write(
      `  server: ${cpuSeconds.toFixed(1)} CPU-s in ${realSeconds.toFixed(0)} s (${Math.round((cpuSeconds / realSeconds) * 100)}% of one core), RSS ${mb(collected.rss)} (max ${mb(collected.rssMax)})${postgresSeconds === null ? '' : `; Postgres ${postgresSeconds.toFixed(1)} CPU-s`}\n`,
    );
    // What a close of every stream costs, the first after the warm-up and the later ones.
    const boundaries = [...closeCpu.entries()].filter(([close]) => close % FOUR_H === 0);
    if (boundaries.length > 0)
      process.stdout.write(
        `  CPU per 4h boundary (every stream closing): ${boundaries
          .map(([close, cpu]) => `${new Date(close).toISOString().slice(11, 16)}: ${cpuNote(cpu)}`)
          .join('; ')}\n`,
      );
    const memory = collected.memory as NodeJS.MemoryUsage;
    process.stdout.write(
      `  server memory: V8 heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}, external ${mb(memory.external)} (array buffers ${mb(memory.arrayBuffers)}), the rest of RSS (code, stacks, native) ${mb(memory.rss - memory.heapTotal - memory.external)}\n`,
    );
    const spaces = collected.heapSpaces as Array<{ name: string; used: number; size: number }>;
    process.stdout.write(
      `  V8 heap spaces (used / reserved): ${spaces
        .filter((space) => space.size >= 1_048_576)
        .map((space) => `${space.name.replace(/_space$/, '')} ${mb(space.used)} / ${mb(space.size)}`)
        .join(', ')}\n`,
    );
  } finally {
    if (clientsProcess !== null) await stopChild(clientsProcess);
    await stopChild(serverProcess);
    await database?.drop();
    await sim.close();
  }
}

/** `server X CPU-s, Postgres Y CPU-s` (Postgres left out where it is not measured). */
function cpuNote(cpu: { server: number; postgres: number | null }): string {
  return `server ${cpu.server.toFixed(2)} CPU-s${cpu.postgres === null ? '' : `, Postgres ${cpu.postgres.toFixed(2)} CPU-s`}`;
}

async function orchestrate(): Promise<void> {
  process.stdout.write(
    `bench:stream — kline streams through the app to Socket.IO clients\n${await machineLine()}\n`,
  );
  for (const size of SIZES) await runSize(size);
}

const [role] = process.argv.slice(2);
(role === 'server' ? server() : role === 'clients' ? clients() : orchestrate()).catch((error: Error) => {
  process.stderr.write(`bench:stream failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
