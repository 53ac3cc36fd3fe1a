import { ExchangeSim, startExchangeSim } from './exchange-sim';
import { HOUR, T0, writeCraftedFolder, CraftedFolder } from './test-support/crafted-data';
import { get } from './test-support/http';

describe('error bodies', () => {
  let data: CraftedFolder;
  let sim: ExchangeSim;
  beforeAll(async () => {
    data = writeCraftedFolder();
    sim = await startExchangeSim({
      dataDir: data.dir,
      clock: { startTime: T0 + 30 * HOUR, paused: true },
      log: false,
    });
  });
  afterAll(async () => {
    await sim.close();
    data.remove();
  });

  const cases: [string, string, number, { code: number; msg: string }][] = [
    [
      'unknown symbol',
      '/api/v3/klines?symbol=NOPEUSDT&interval=1h',
      400,
      { code: -1121, msg: 'Invalid symbol.' },
    ],
    [
      'unknown symbol (ticker)',
      '/api/v3/ticker/24hr?symbol=NOPEUSDT',
      400,
      { code: -1121, msg: 'Invalid symbol.' },
    ],
    [
      'unknown symbol in symbols',
      '/api/v3/ticker/24hr?symbols=["AAAUSDT","NOPEUSDT"]',
      400,
      { code: -1121, msg: 'Invalid symbol.' },
    ],
    [
      'unknown symbol (exchangeInfo)',
      '/api/v3/exchangeInfo?symbol=NOPEUSDT',
      400,
      { code: -1121, msg: 'Invalid symbol.' },
    ],
    [
      'bad interval',
      '/api/v3/klines?symbol=AAAUSDT&interval=1H',
      400,
      { code: -1120, msg: 'Invalid interval.' },
    ],
    [
      'lower-case symbol',
      '/api/v3/klines?symbol=aaausdt&interval=1h',
      400,
      {
        code: -1100,
        msg: "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'.",
      },
    ],
    [
      'symbols with a space',
      '/api/v3/ticker/24hr?symbols=' + encodeURIComponent('["AAAUSDT", "BBBUSDT"]'),
      400,
      {
        code: -1100,
        msg: `Illegal characters found in parameter 'symbols'; legal range is '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$'.`,
      },
    ],
    [
      'non-numeric startTime',
      '/api/v3/klines?symbol=AAAUSDT&interval=1h&startTime=yesterday',
      400,
      {
        code: -1100,
        msg: "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'.",
      },
    ],
    [
      'missing symbol',
      '/api/v3/klines?interval=1h',
      400,
      { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    ],
    [
      'empty symbol',
      '/api/v3/klines?symbol=&interval=1h',
      400,
      { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
    ],
    [
      'missing interval',
      '/api/v3/klines?symbol=AAAUSDT',
      400,
      { code: -1102, msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed." },
    ],
    [
      'symbol and symbols',
      '/api/v3/ticker/24hr?symbol=AAAUSDT&symbols=["AAAUSDT"]',
      400,
      {
        code: -1128,
        msg: "Combination of optional parameters invalid. Recommendation: 'symbol' and 'symbols' cannot both be sent.",
      },
    ],
    [
      'limit above 1000',
      '/api/v3/klines?symbol=AAAUSDT&interval=1h&limit=5000',
      400,
      { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
    ],
    [
      'duplicate parameter',
      '/api/v3/klines?symbol=AAAUSDT&symbol=BBBUSDT&interval=1h',
      400,
      { code: -1101, msg: 'Duplicate values for a parameter detected.' },
    ],
    [
      'start after end',
      `/api/v3/klines?symbol=AAAUSDT&interval=1h&startTime=${T0 + HOUR}&endTime=${T0}`,
      400,
      { code: -1023, msg: 'Start time is greater than end time.' },
    ],
    [
      'bad ticker type',
      '/api/v3/ticker/24hr?symbol=AAAUSDT&type=SHORT',
      400,
      { code: -1139, msg: 'Invalid ticker type.' },
    ],
    [
      'duplicate in symbols',
      '/api/v3/ticker/24hr?symbols=["AAAUSDT","AAAUSDT"]',
      400,
      { code: -1151, msg: 'Symbol is present multiple times in the list.' },
    ],
    [
      'bad symbolStatus',
      '/api/v3/exchangeInfo?symbolStatus=SLEEPING',
      400,
      { code: -1122, msg: 'Invalid symbolStatus.' },
    ],
    [
      'non-UTC timeZone',
      '/api/v3/klines?symbol=AAAUSDT&interval=1h&timeZone=8',
      400,
      { code: -1130, msg: "Data sent for parameter 'timeZone' is not valid." },
    ],
  ];

  it.each(cases)('%s', async (_name, path, status, body) => {
    const res = await get(sim.url, path);
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
    expect(res.headers.get('x-mbx-used-weight-1m')).toMatch(/^\d+$/);
  });

  it('answers an unknown endpoint with 404 (HTML only when asked for)', async () => {
    const plain = await get(sim.url, '/api/v3/avgPrice?symbol=AAAUSDT');
    expect(plain.status).toBe(404);
    expect(plain.text).toBe('');
    const html = await get(sim.url, '/nope', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(404);
    expect(html.text).toBe('<html><body><h2>404 Not found</h2></body></html>');
  });

  it('answers a known symbol without data for an interval with an empty list', async () => {
    const res = await get(sim.url, '/api/v3/klines?symbol=BBBUSDT&interval=15m');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });
});
