import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { assertLocalOnlyEnv } from './local-only';
import { eventually, NotYet } from './test-env';

const API_ROOT = path.resolve(__dirname, '..', '..');
/** The app from source, compiled by swc as it loads (like the bench scripts): never a stale dist. */
const MAIN_TS = path.join(API_ROOT, 'src', 'main.ts');
const SWC_REGISTER = path.join(API_ROOT, 'scripts', 'swc-register.cjs');
/** The built app (`npx tsc -p tsconfig.build.json` in backend/api). */
export const MAIN_JS = path.join(API_ROOT, 'dist', 'main.js');

/** A port free on 127.0.0.1 right now (the OS picks it; the probe listener is closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A child node process: its output so far (stdout and stderr) and its exit code (null when a signal ended it). */
export interface NodeProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  cwd: string;
  /** The child's whole environment (nothing is inherited). */
  env: NodeJS.ProcessEnv;
  /** A line the process logs once it is up. */
  ready: string;
  timeoutMs: number;
  /** Names the process in errors ("the app", "the child worker"). */
  what: string;
}

/**
 * `node ...args`, its output collected, resolved once it has logged `options.ready`. Fails at once,
 * with the output, if the process exits first; a process not up in time is killed (SIGKILL).
 */
export async function spawnNode(args: readonly string[], options: SpawnOptions): Promise<NodeProcess> {
  assertLocalOnlyEnv(options.env, options.what);
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await eventually(
      async () => {
        if (gone) throw new Error(`${options.what} exited during start-up:\n${output.join('')}`);
        return output.join('').includes(options.ready);
      },
      options.timeoutMs,
      `${options.what} to start`,
    );
  } catch (error) {
    if (!gone) child.kill('SIGKILL');
    throw error;
  }
  return { child, output, exited };
}

/** The whole app as a child process, with its HTTP address and the admin key it was given. */
export interface AppProcess extends NodeProcess {
  url: string;
  adminKey: string;
}

/**
 * `node src/main.ts` on a free port with only `env` (plus PATH and TZ=UTC): a test environment's
 * variables (database, Redis prefix, data dir) and the test's own. Resolved once the scanner is up.
 */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const started = await spawnNode(['-r', SWC_REGISTER, MAIN_TS], {
    // cwd: an empty folder, so no developer .env is loaded.
    cwd: env.DATA_DIR,
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env, PORT: String(port) },
    ready: 'signal scanner up',
    timeoutMs: 60_000,
    what: 'the app',
  });
  return { ...started, url: `http://127.0.0.1:${port}`, adminKey: env.ADMIN_API_KEY ?? '' };
}

/** SIGKILL, and the process really died of it. */
export async function kill9(app: NodeProcess): Promise<void> {
  app.child.kill('SIGKILL');
  expect(await app.exited).toBeNull();
}

/** SIGTERM and wait for the exit (SIGKILL after 20 s); nothing to do if the process is already gone. */
export async function stop(app: NodeProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 20_000);
  await app.exited;
  clearTimeout(timer);
}

export interface ScanRun {
  id: number;
  trigger: string;
  status: string;
  errors: unknown[];
}

export interface AdminStatus {
  lastScans: ScanRun[];
  queues: Record<string, { waiting: number; active: number; delayed: number }>;
}

/** A JSON call to the app's /api with its admin key; a non-2xx answer throws with its body. */
export async function api<T>(app: AppProcess, route: string, method = 'GET'): Promise<T> {
  const response = await fetch(`${app.url}/api${route}`, { method, headers: { 'X-API-Key': app.adminKey } });
  if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Codes of a connection refused or broken before an answer came: a process starting, restarting or dying. */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function connectionErrorCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  return code !== null && CONNECTION_ERRORS.has(code) ? code : null;
}

/**
 * `api` for a probe of `eventually`, on an app that may be dying or being replaced: a connection
 * refused or reset while the process lives means "not yet" (NotYet: the poll goes on, a timeout names
 * it); once the process has exited the poll fails at once with its exit and last output. An HTTP error
 * answer, or any other failure, throws as from `api`.
 */
export async function poll<T>(app: AppProcess, route: string): Promise<T> {
  try {
    return await api<T>(app, route);
  } catch (error) {
    const code = connectionErrorCode(error);
    if (code === null) throw error;
    const { exitCode, signalCode } = app.child;
    if (exitCode !== null || signalCode !== null) {
      throw new Error(
        `GET ${route}: ${code}: the app at ${app.url} has exited (${signalCode ?? `code ${exitCode}`}). Last output:\n${app.output.join('').slice(-3000)}`,
      );
    }
    throw new NotYet(`GET ${route}: ${code} (the app at ${app.url} is still running)`);
  }
}

/** The newest scan run in an admin status (0 when there is none). */
export const lastRunId = (status: AdminStatus) => Math.max(0, ...status.lastScans.map((run) => run.id));

/**
 * Asks for a scan now (POST /admin/scan). The function returned waits until that scan is recorded as
 * finished and the scanner queue is idle (engine included), and gives its run.
 */
export async function requestScan(app: AppProcess): Promise<() => Promise<ScanRun>> {
  const before = lastRunId(await api<AdminStatus>(app, '/admin/status'));
  await api(app, '/admin/scan', 'POST');
  return () =>
    eventually(
      async () => {
        const status = await poll<AdminStatus>(app, '/admin/status');
        const run = status.lastScans.find((r) => r.id > before && r.trigger === 'admin');
        const queue = status.queues.scanner;
        const idle = queue.waiting + queue.active + (queue.delayed ?? 0) === 0;
        return run !== undefined && run.status !== 'running' && idle && run;
      },
      // After a SIGKILL on Bull, the dead process's job is re-run once its lock expires (~30 s).
      90_000,
      `a scan of ${app.url}`,
    );
}

/** A scan now, waited for (see `requestScan`). */
export async function scan(app: AppProcess): Promise<ScanRun> {
  return (await requestScan(app))();
}
