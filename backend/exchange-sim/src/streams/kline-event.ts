/**
 * The kline stream payload, built from the REST row of the same candle so both always agree:
 * row = [t, o, h, l, c, v, T, q, n, V, Q, B].
 */
export function klineEventJson(
  symbol: string,
  interval: string,
  rowJson: string,
  closed: boolean,
  eventTime: number,
  index: number,
): string {
  const r = JSON.parse(rowJson) as [
    number,
    string,
    string,
    string,
    string,
    string,
    number,
    string,
    number,
    string,
    string,
    string,
  ];
  const trades = r[8];
  // Trade ids are synthetic (the replay data has no trades): increasing per candle, L − f + 1 = n; −1 without trades.
  const first = trades > 0 ? index * 10_000_000 + 1 : -1;
  const last = trades > 0 ? first + trades - 1 : -1;
  return (
    `{"e":"kline","E":${eventTime},"s":"${symbol}","k":{"t":${r[0]},"T":${r[6]},"s":"${symbol}","i":"${interval}",` +
    `"f":${first},"L":${last},"o":"${r[1]}","c":"${r[4]}","h":"${r[2]}","l":"${r[3]}","v":"${r[5]}","n":${trades},` +
    `"x":${closed},"q":"${r[7]}","V":"${r[9]}","Q":"${r[10]}","B":"${r[11]}"}}`
  );
}

export function serverShutdownEventJson(eventTime: number): string {
  return `{"e":"serverShutdown","E":${eventTime}}`;
}

/** Combined streams wrap every event as `{"stream","data"}`. */
export function combinedJson(stream: string, dataJson: string): string {
  return `{"stream":"${stream}","data":${dataJson}}`;
}
