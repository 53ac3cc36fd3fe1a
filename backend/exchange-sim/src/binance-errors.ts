/** An error the simulator answers with Binance's `{"code","msg"}` body. */
export class BinanceApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'BinanceApiError';
  }

  body(): string {
    return JSON.stringify({ code: this.code, msg: this.message });
  }
}

export const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$';
export const SYMBOLS_RANGE = '^\\[("[A-Z0-9-_.]{1,20}"(,"[A-Z0-9-_.]{1,20}"){0,}){0,1}\\]$';
export const NUMBER_RANGE = '^[0-9]{1,20}$';

export const errors = {
  duplicateParameter: () => new BinanceApiError(400, -1101, 'Duplicate values for a parameter detected.'),
  illegalChars: (param: string, range: string) =>
    new BinanceApiError(
      400,
      -1100,
      `Illegal characters found in parameter '${param}'; legal range is '${range}'.`,
    ),
  mandatory: (param: string) =>
    new BinanceApiError(
      400,
      -1102,
      `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`,
    ),
  badInterval: () => new BinanceApiError(400, -1120, 'Invalid interval.'),
  badSymbol: () => new BinanceApiError(400, -1121, 'Invalid symbol.'),
  badSymbolStatus: () => new BinanceApiError(400, -1122, 'Invalid symbolStatus.'),
  symbolAndSymbols: () =>
    new BinanceApiError(
      400,
      -1128,
      "Combination of optional parameters invalid. Recommendation: 'symbol' and 'symbols' cannot both be sent.",
    ),
  invalidParameter: (param: string) =>
    new BinanceApiError(400, -1130, `Data sent for parameter '${param}' is not valid.`),
  badTickerType: () => new BinanceApiError(400, -1139, 'Invalid ticker type.'),
  duplicateSymbols: () => new BinanceApiError(400, -1151, 'Symbol is present multiple times in the list.'),
  statusMismatch: () =>
    new BinanceApiError(400, -1220, "The symbol's status does not match the requested symbolStatus."),
  startAfterEnd: () => new BinanceApiError(400, -1023, 'Start time is greater than end time.'),
  tooMuchWeight: (limit: number) =>
    new BinanceApiError(
      429,
      -1003,
      `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
    ),
  banned: (untilMs: number) =>
    new BinanceApiError(
      418,
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
    ),
  disconnected: () =>
    new BinanceApiError(500, -1001, 'Internal error; unable to process your request. Please try again.'),
  serverBusy: () =>
    new BinanceApiError(
      503,
      -1008,
      'Server is currently overloaded with other requests. Please try again in a few minutes.',
    ),
};
