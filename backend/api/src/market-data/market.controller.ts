import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CandlesQueryDto } from './candles-query.dto';
import { MarketQueryService } from './market-query.service';
import type { CandlesResponse, MarketSymbol } from '@scanner/contracts';

@ApiTags('market')
@Controller('market')
export class MarketController {
  constructor(private readonly market: MarketQueryService) {}

  @Get('symbols')
  @ApiOperation({
    summary: 'The scan universe, best ranked first, with 24 h stats and per-timeframe data freshness.',
  })
  symbols(): Promise<MarketSymbol[]> {
    return this.market.symbols();
  }

  @Get('candles')
  @ApiOperation({
    summary: 'Stored closed candles, oldest first (404 when none are stored for the symbol/interval).',
  })
  candles(@Query() query: CandlesQueryDto): Promise<CandlesResponse> {
    return this.market.candles(query.symbol, query.interval, query.limit ?? 500);
  }
}
