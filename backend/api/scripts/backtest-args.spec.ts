import { MONTE_CARLO_MAX_RUNS, resolveEngineConfig } from '@scanner/signal-core';
import {
  backtestUsage,
  parseBacktestArgs,
  redact,
  UsageError,
  type BacktestArgsEnvironment,
  type BacktestCliOptions,
} from './backtest-args';

/** A user in /home/me with some files, on a 4-core machine; nothing touches the disk. */
function environment(files: Record<string, string> = {}, folders = ['/home/me/klines', '/bundled']) {
  return {
    userPath: (file: string) => (file.startsWith('/') ? file : `/home/me/${file}`),
    defaultDataDir: '/bundled',
    defaultThreads: 4,
    readText: (file: string) => files[file] ?? null,
    isFolder: (path: string) => folders.includes(path),
  } satisfies BacktestArgsEnvironment;
}

function options(argv: string[], env = environment()): BacktestCliOptions {
  const parsed = parseBacktestArgs(argv, env);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.options;
}

function usageError(argv: string[], env = environment()): string {
  try {
    parseBacktestArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}

describe('parseBacktestArgs', () => {
  it('gives the defaults: the bundled data, 5m, default engine config, every core', () => {
    expect(options([])).toEqual({
      data: '/bundled',
      db: null,
      symbols: null,
      interval: '5m',
      from: null,
      to: null,
      config: resolveEngineConfig({}),
      walkForward: null,
      candidates: [],
      monteCarlo: null,
      seed: 1,
      threads: 4,
      json: false,
    });
    expect(parseBacktestArgs(['--help'], environment())).toEqual({ help: true });
    // An unknown flag is named even beside --help.
    expect(() => parseBacktestArgs(['-h', '--bogus'], environment())).toThrow(UsageError);
  });

  it('reads every flag: paths from the user’s folder, symbols upper-cased, config file under the cost flags', () => {
    const env = environment({
      '/home/me/engine.json': JSON.stringify({ minConfidence: 75, feeBps: 50 }),
      '/home/me/candidates.json': JSON.stringify([{ minConfidence: 80 }]),
    });
    const parsed = options(
      [
        '--data',
        'klines',
        '--symbols',
        ' btcusdt, ETHUSDT,,',
        '--interval',
        '1h',
        '--from',
        '2024-08-01',
        '--to',
        '2024-08-05T12:00:00Z',
        '--config',
        'engine.json',
        '--slippage-bps',
        '2',
        '--walk-forward',
        'is=10d,oos=2d',
        '--wf-candidates',
        'candidates.json',
        '--monte-carlo',
        '500',
        '--seed=-7',
        '--threads',
        '2',
        '--json',
      ],
      env,
    );
    const config = resolveEngineConfig({ minConfidence: 75, feeBps: 50, slippageBps: 2 });
    expect(parsed).toMatchObject({
      data: '/home/me/klines',
      db: null,
      symbols: ['BTCUSDT', 'ETHUSDT'],
      interval: '1h',
      from: Date.parse('2024-08-01'),
      to: Date.parse('2024-08-05T12:00:00Z'),
      config,
      candidates: [resolveEngineConfig({ minConfidence: 80 }, config)],
      monteCarlo: 500,
      seed: -7,
      threads: 2,
      json: true,
    });
    expect(parsed.walkForward).not.toBeNull();
    expect(options(['--db', 'postgres://u:p@h/db']).data).toBeNull();
  });

  it.each([
    [['--bogus'], /bogus/],
    [['--interval', '7m'], /^--interval: "7m" is not one of 1m, /],
    [['--db', 'mysql://u:secret@h/db'], /^--db: "mysql:\/\/u:\*\*\*@h\/db" is not a postgres:\/\/ URL$/],
    [['--db', 'postgres://h/db', '--data', 'klines'], /^--data and --db: give one source/],
    [['--data', 'nowhere'], /^--data: \/home\/me\/nowhere is not a folder$/],
    [['--symbols', ' , '], /^--symbols: give at least one symbol/],
    [['--from', 'yesterday'], /^--from: "yesterday" is not an ISO-8601 date/],
    [['--to', '2024-13-45'], /^--to: "2024-13-45" is not an ISO-8601 date/],
    [['--from', '2024-08-05', '--to', '2024-08-01'], /^--from 2024-08-05 must be before --to 2024-08-01$/],
    [['--config', 'missing.json'], /^--config: \/home\/me\/missing\.json does not exist$/],
    [['--config', 'broken.json'], /^--config: \/home\/me\/broken\.json is not valid JSON \(/],
    [
      ['--config', 'list.json'],
      /^--config: \/home\/me\/list\.json: must be a JSON object of engine settings$/,
    ],
    [['--config', 'wrong.json'], /^--config: \/home\/me\/wrong\.json: .*minConfidence/],
    [['--fee-bps', 'ten'], /^--fee-bps: "ten" is not a number of basis points, e.g. 10$/],
    [['--slippage-bps', ' '], /^--slippage-bps: " " is not a number of basis points/],
    [['--fee-bps=-5'], /^--fee-bps: /],
    [['--walk-forward', 'is=banana'], /^--walk-forward: /],
    [['--wf-candidates', 'candidates.json'], /^--wf-candidates: .*add --walk-forward$/],
    [
      ['--walk-forward', 'is=10d,oos=2d', '--wf-candidates', 'object.json'],
      /^--wf-candidates: \/home\/me\/object\.json: must be a non-empty JSON array/,
    ],
    [
      ['--walk-forward', 'is=10d,oos=2d', '--wf-candidates', 'numbers.json'],
      /^--wf-candidates: \/home\/me\/numbers\.json: candidate 1 must be an object of engine settings$/,
    ],
    [
      ['--walk-forward', 'is=10d,oos=2d', '--wf-candidates', 'invalid.json'],
      /^--wf-candidates: \/home\/me\/invalid\.json: candidate 2: .*minConfidence/,
    ],
    [['--monte-carlo', '1.5'], /^--monte-carlo: "1.5" is not a number of runs, e.g. 1000$/],
    [
      ['--monte-carlo', String(MONTE_CARLO_MAX_RUNS + 1)],
      new RegExp(`^--monte-carlo: must be from 1 to ${MONTE_CARLO_MAX_RUNS}, got`),
    ],
    [['--seed', '3'], /^--seed: the seed is for --monte-carlo; add --monte-carlo RUNS$/],
    [['--threads', '0'], /^--threads: must be from 1 to 256, got 0$/],
    [['--threads', 'all'], /^--threads: "all" is not a number of worker threads, e.g. 2$/],
  ])('names the bad flag: %j', (argv, message) => {
    const env = environment({
      '/home/me/broken.json': '{ nope',
      '/home/me/list.json': '[]',
      '/home/me/wrong.json': JSON.stringify({ minConfidence: 'high' }),
      '/home/me/candidates.json': '[{}]',
      '/home/me/object.json': '{}',
      '/home/me/numbers.json': '[1]',
      '/home/me/invalid.json': JSON.stringify([{}, { minConfidence: 'high' }]),
    });
    expect(usageError(argv, env)).toMatch(message);
  });

  it('redacts the password of a URL, and says so of one it cannot parse', () => {
    expect(redact('postgres://scanner:s3cret@db:5432/scanner')).toBe(
      'postgres://scanner:***@db:5432/scanner',
    );
    expect(redact('postgres://db/scanner')).toBe('postgres://db/scanner');
    expect(redact('not a url')).toBe('(an unparsable URL)');
  });

  it('prints a usage naming every flag and this machine’s thread count', () => {
    const usage = backtestUsage(12);
    for (const flag of [
      '--data',
      '--db',
      '--symbols',
      '--interval',
      '--config',
      '--fee-bps',
      '--walk-forward',
      '--wf-candidates',
      '--monte-carlo',
      '--seed',
      '--threads',
      '--json',
    ])
      expect(usage).toContain(flag);
    expect(usage).toContain('every core, 12 here');
  });
});
