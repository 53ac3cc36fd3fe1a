import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MarketMatrixSnapshot } from '@scanner/contracts';
import { MarketMatrixService } from './market-matrix.service';

@ApiTags('market')
@Controller('market')
export class MarketMatrixController {
  constructor(private readonly service: MarketMatrixService) {}

  @Get('matrix')
  @ApiOperation({
    summary:
      'Every universe symbol × every scanned timeframe: long/short confidence of the last closed candle, active signal, EMA200 trend side, RSI. Live: socket `market.subscribe` → `market.snapshot`, then `market.tick`.',
  })
  matrix(): Promise<MarketMatrixSnapshot> {
    return this.service.snapshot();
  }
}
