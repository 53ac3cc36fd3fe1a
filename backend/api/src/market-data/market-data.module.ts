import { Module } from '@nestjs/common';

/** Binance REST client, request-weight budget, universe and closed candles (issue: Market data). */
@Module({})
export class MarketDataModule {}
