#!/usr/bin/env node
import { startExchangeSim } from './exchange-sim';
import { CLI_HELP, parseCliArgs } from './cli-options';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`exchange-sim: ${(error as Error).message}\nRun with --help for the options.\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(CLI_HELP);
    return;
  }
  const sim = await startExchangeSim(parsed.options);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(`exchange-sim: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
