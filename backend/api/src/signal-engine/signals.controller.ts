import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type {
  CalibrationReport,
  ConditionAblationReport,
  Page,
  Signal,
  SignalDetail,
  ScoringVersionScope,
  SignalStats,
  StatsByScoringVersion,
} from '@scanner/contracts';
import { SignalListQueryDto } from './dto/signal-list-query.dto';
import { SignalStatsQueryDto } from './dto/signal-stats-query.dto';
import type { ClosedSignalFilter } from './closed-signals';
import { SignalQualityService } from './signal-quality.service';
import { SignalQueryService } from './signal-query.service';

const SIGNAL_ID = /^[A-Za-z0-9._:-]{1,100}$/;

@ApiTags('signals')
@Controller('signals')
export class SignalsController {
  constructor(
    private readonly signals: SignalQueryService,
    private readonly quality: SignalQualityService,
  ) {}

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
      'Outcomes of closed signals (signal-core computeSignalStats): expectancy = mean net R over every close, win rate = TP/(TP+SL) and hit rate = TP/all closed with 95% Wilson intervals, outcome shares, profit factor, drawdown; overall, by timeframe, by direction, by scoring version (scoringVersion= keeps one).',
  })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it.' })
  stats(
    @Query() query: SignalStatsQueryDto,
  ): Promise<SignalStats & ScoringVersionScope & StatsByScoringVersion> {
    return this.signals.stats(qualityFilter(query));
  }

  @Get('calibration')
  @ApiOperation({
    summary:
      'Reliability of confidence at creation: buckets (70–74, …, 95–100) with count, P(TP before SL) with its Wilson interval and mean net R; Brier score, rank correlation with net R, and the pTarget fits in use.',
  })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it.' })
  calibration(@Query() query: SignalStatsQueryDto): Promise<CalibrationReport & ScoringVersionScope> {
    return this.quality.calibration(qualityFilter(query));
  }

  @Get('ablation')
  @ApiOperation({
    summary:
      'For each of the eight conditions, closed signals where it held at creation vs not: count, hit rate (with its Wilson interval), mean net R.',
  })
  @ApiBadRequestResponse({ description: 'A query parameter is invalid; the message names it.' })
  ablation(@Query() query: SignalStatsQueryDto): Promise<ConditionAblationReport> {
    return this.quality.ablation(qualityFilter(query));
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

function qualityFilter(query: SignalStatsQueryDto): ClosedSignalFilter {
  return {
    timeframe: query.timeframe,
    direction: query.direction,
    since: query.since === undefined ? undefined : new Date(query.since),
    origin: query.origin ?? 'all',
    scoringVersion: query.scoringVersion,
  };
}
