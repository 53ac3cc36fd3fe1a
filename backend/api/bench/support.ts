/** What the benchmarks share: talking to their child processes, a throwaway database, percentiles. */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export type Message = { [key: string]: unknown; type: string };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `message` to a child (none when null) and resolves with its first reply of type `reply`;
 * rejects if the child exits first. Its listeners are removed either way.
 */
export function request<T extends Message>(
  child: ChildProcess,
  message: Message | null,
  reply: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (received: Message) => {
      if (received.type !== reply) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(received as T);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`${reply}: child process exited with ${code}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message === null) return;
    if (!child.connected) onExit(child.exitCode);
    // A child that dies meanwhile: the failed send is reported by its exit, not as an unhandled error.
    else child.send(message, (error) => error && onExit(child.exitCode));
  });
}

/** The value at percentile `p` (0–100) of ascending `sorted`; NaN when empty. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** A fresh database on the server of `baseUrl` (named `<prefix>_<random>`), dropped by `drop()`. */
export async function createDatabase(
  baseUrl: string,
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const { Client } = await import('pg');
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A process's name and the fields of /proc/<pid>/stat after it (fields[11..14]: utime, stime, cutime,
 * cstime, in ticks of 1/100 s); null when it has exited.
 */
function procStat(pid: number | string): { name: string; fields: string[] } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const end = stat.lastIndexOf(')');
  return { name: stat.slice(stat.indexOf('(') + 1, end), fields: stat.slice(end + 2).split(' ') };
}

/** CPU seconds a process has used (utime + stime from /proc), for a child we do not control. */
export function processCpuSeconds(pid: number): number {
  const stat = procStat(pid);
  if (stat === null) throw new Error(`process ${pid} has exited`);
  return (Number(stat.fields[11]) + Number(stat.fields[12])) / 100;
}

/**
 * CPU seconds this machine's Postgres has used so far: its processes' own (utime + stime) and what they
 * collected from the backends that have exited (cutime + cstime: the postmaster's). Null when no
 * Postgres process is visible (PGlite, or a server on another machine).
 */
export function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat?.name !== 'postgres') continue;
    const [utime, stime, cutime, cstime] = stat.fields.slice(11, 15).map(Number);
    ticks += utime + stime + cutime + cstime;
    found = true;
  }
  return found ? ticks / 100 : null;
}

/** Sends `{ type: 'stop' }` and waits for the child to exit (nothing to do if it already has). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await exited;
}
