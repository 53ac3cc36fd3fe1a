import { cpus } from 'node:os';

/**
 * How busy this machine's CPUs are, sampled over `ms` while the caller waits: benchmarks share the
 * machine, and other work running beside one takes CPU from it (its figures come out worse).
 */
export async function cpuBusy(ms = 500): Promise<number> {
  const sample = () =>
    cpus().reduce(
      (sum, { times: t }) => ({
        busy: sum.busy + t.user + t.nice + t.sys + t.irq,
        all: sum.all + t.user + t.nice + t.sys + t.irq + t.idle,
      }),
      { busy: 0, all: 0 },
    );
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  return (after.busy - before.busy) / Math.max(1, after.all - before.all);
}

/** `N CPUs, X% busy before the run`, with a warning when other work is using them. */
export async function machineLine(): Promise<string> {
  const busy = await cpuBusy();
  const warning = busy > 0.2 ? ' (other work is using the CPUs: figures will be worse)' : '';
  return `Node ${process.version}, ${cpus().length} CPUs, ${Math.round(busy * 100)}% busy before the run${warning}`;
}
