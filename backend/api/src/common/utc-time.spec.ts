import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseUtcTime } from './utc-time';

/** Runs parseUtcTime in a fresh node whose host time zone is `zone` (a zone is fixed per process). */
function inZone(zone: string, input: string): { parsed: string; hostDate: string } {
  const code = `const { parseUtcTime } = require(${JSON.stringify(path.join(__dirname, 'utc-time.ts'))});
    console.log(JSON.stringify({ parsed: new Date(parseUtcTime(${JSON.stringify(input)})).toISOString(), hostDate: new Date(${JSON.stringify(input)}).toISOString() }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    env: { ...process.env, TZ: zone, NODE_OPTIONS: '' },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
}

describe('parseUtcTime', () => {
  it.each([
    ['2024-08-05T10:00:00Z', '2024-08-05T10:00:00.000Z'],
    ['2024-08-05T10:00:00', '2024-08-05T10:00:00.000Z'],
    ['2024-08-05T10:00', '2024-08-05T10:00:00.000Z'],
    ['2024-08-05 10:00:00.5', '2024-08-05T10:00:00.500Z'],
    ['2024-08-05', '2024-08-05T00:00:00.000Z'],
    ['2024-08-05T12:00:00+02:00', '2024-08-05T10:00:00.000Z'],
    ['2024-08-05T05:00:00-0500', '2024-08-05T10:00:00.000Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(new Date(parseUtcTime(input) as number).toISOString()).toBe(expected);
  });

  it('reads a time without offset as UTC whatever the host time zone', () => {
    const newYork = inZone('America/New_York', '2024-08-05T10:00:00');
    // The host's own reading would be 4 hours off; ours is not.
    expect(newYork.hostDate).toBe('2024-08-05T14:00:00.000Z');
    expect(newYork.parsed).toBe('2024-08-05T10:00:00.000Z');
    expect(inZone('Asia/Kolkata', '2024-08-05T10:00:00').parsed).toBe('2024-08-05T10:00:00.000Z');
  }, 20_000);

  it.each(['yesterday', '2024-13-01', '2024-02-31', '1722816000000', '2024-08-05T25:00:00Z', ''])(
    'refuses %j',
    (input) => {
      expect(parseUtcTime(input)).toBeNull();
    },
  );
});
