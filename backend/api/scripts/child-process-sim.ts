import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The simulator's CLI (built by `npm run build -w @scanner/exchange-sim`). */
export const SIM_CLI = path.resolve(__dirname, '..', '..', 'exchange-sim', 'dist', 'cli.js');

export interface SimProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the exchange simulator as a child process and resolves with its URL (from its startup line). */
export function startSimProcess(args: string[], options: { echo?: boolean } = {}): Promise<SimProcess> {
  if (!existsSync(SIM_CLI)) {
    return Promise.reject(
      new Error(`${SIM_CLI} is missing: build the simulator first (npm run build -w @scanner/exchange-sim)`),
    );
  }
  const child = spawn(process.execPath, [SIM_CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      if (options.echo) process.stdout.write(`[exchange-sim] ${text}`);
      buffer += text;
      const match = /listening on (http:\/\/[^\s]+)/.exec(buffer);
      if (match) {
        child.stdout?.off('data', onData);
        if (options.echo)
          child.stdout?.on('data', (more: Buffer) =>
            process.stdout.write(`[exchange-sim] ${more.toString()}`),
          );
        else child.stdout?.resume();
        resolve({ url: match[1], child, stop: () => stopChild(child) });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exchange-sim exited with code ${code} before listening`)));
    child.once('error', reject);
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the child has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
