import { Module } from '@nestjs/common';
import { RequestWeightBudget } from '../market-data';
import { SignalEngineModule } from '../signal-engine';
import { LiveFeed } from './live-feed';
import { MarketMatrixFeed } from './market-matrix-feed';
import { MarketMatrixGateway } from './market-matrix.gateway';
import { OutboxPublisher } from './outbox-publisher';
import { OutboxReader } from './outbox-reader';
import { ReplayProgressGateway } from './replay-progress.gateway';
import { EXCHANGE_BACKOFF_PROBE, ScannerStatusService } from './scanner-status.service';
import { SignalsGateway } from './signals.gateway';

/** The live feed: Socket.IO /signals fed from the signal_events outbox. Imported in the api/all roles only. */
@Module({
  imports: [SignalEngineModule],
  providers: [
    SignalsGateway,
    MarketMatrixGateway,
    MarketMatrixFeed,
    ReplayProgressGateway,
    LiveFeed,
    OutboxReader,
    OutboxPublisher,
    ScannerStatusService,
    {
      // scanner.status tells the dashboard when Binance asked us to back off (429/418).
      provide: EXCHANGE_BACKOFF_PROBE,
      inject: [RequestWeightBudget],
      useFactory: (budget: RequestWeightBudget) => ({
        pausedUntil: async () => {
          const until = await budget.pausedUntil();
          return until === null ? null : new Date(until);
        },
      }),
    },
  ],
  exports: [SignalsGateway, OutboxPublisher, ScannerStatusService],
})
export class GatewayModule {}
