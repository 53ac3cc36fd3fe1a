/* A worker thread of BacktestThreadPool: holds its share of the series and replays it (see backtest-threads.ts). */
import { parentPort } from 'node:worker_threads';
import { runSeries, unpackCandles, type Candle } from '../src/index';
import type { PackedSeries, ToWorker, FromWorker } from './backtest-threads';

const port = parentPort;
if (port === null) throw new Error('backtest-worker runs as a worker thread only');

let series: Record<string, Candle[]> = {};
let fine: Record<string, Candle[]> | undefined;

function candlesOf(packed: readonly PackedSeries[]): Record<string, Candle[]> {
  const out: Record<string, Candle[]> = {};
  for (const s of packed) out[s.symbol] = s.packed !== null ? unpackCandles(s.packed) : s.plain!;
  return out;
}

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'load') {
      series = {}; // let the previous share go before the next one arrives
      fine = undefined;
      series = candlesOf(message.series);
      fine = message.fine === null ? undefined : candlesOf(message.fine);
      send({ type: 'loaded', id: message.id });
    } else {
      runSeries(series, message.config, { timeframe: message.timeframe, fineCandles: fine }, (outcome) =>
        send({ type: 'outcome', id: message.id, outcome }, [outcome.signals.data.buffer as ArrayBuffer]),
      );
      send({ type: 'done', id: message.id });
    }
  } catch (error) {
    send({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
