import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Page, Signal, SignalDetail, SignalStats } from '@scanner/contracts';
import { SignalListQueryDto } from './dto/signal-list-query.dto';
import { SignalStatsQueryDto } from './dto/signal-stats-query.dto';
import { SignalQueryService } from './signal-query.service';

const SIGNAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

@ApiTags('signals')
@Controller('signals')
export class SignalsController {
  constructor(private readonly signals: SignalQueryService) {}

  @Get()
  @ApiOperation({
    summary: 'Signals, filtered and sorted, one cursor page at a time (default 50, at most 500).',
  })
  @ApiOkResponse({ description: '{ items: Signal[], nextCursor: string | null }' })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it.' })
  list(@Query() query: SignalListQueryDto): Promise<Page<Signal>> {
    return this.signals.list(query);
  }

  @Get('stats')
  @ApiOperation({
    summary:
      'Outcomes of closed signals: counts, win rate = TP/(TP+SL), average R, expectancy, profit factor; overall, by timeframe, by direction.',
  })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it.' })
  stats(@Query() query: SignalStatsQueryDto): Promise<SignalStats> {
    return this.signals.stats({
      timeframe: query.timeframe,
      direction: query.direction,
      since: query.since === undefined ? undefined : new Date(query.since),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One signal with its event history (created, updated, deleted) in seq order.' })
  @ApiNotFoundResponse({ description: 'No signal has this id (it may have been purged).' })
  async detail(@Param('id') id: string): Promise<SignalDetail> {
    // Ids are `<SYMBOL>-<timeframe>-<openTime>-<DIRECTION>`: anything else cannot exist (and a NUL byte
    // would not even reach Postgres as text).
    if (!SIGNAL_ID.test(id))
      throw new NotFoundException(`signal ${JSON.stringify(id.slice(0, 120))} not found`);
    const detail = await this.signals.detail(id);
    if (detail === null) throw new NotFoundException(`signal ${id} not found`);
    return detail;
  }
}
