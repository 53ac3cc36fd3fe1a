import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Replay, ReplayDeleted } from '@scanner/contracts';
import { AdminKeyGuard } from '../../common';
import { JobQueue } from '../../scheduler';
import { ReplayService } from '../../signal-engine';

/** A replay id from the path: a whole number from 1 (400 otherwise). */
export function parseReplayId(raw: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(raw))
    throw new BadRequestException(
      `id must be a replay number (1, 2, …), got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  return Number(raw);
}

/**
 * A/B replays (issue 18 §2), admin key required like every /api/admin route: start one (the
 * `ab-replay` job), follow it (also `replay.progress` on the socket), read both result sets, cancel.
 */
@ApiTags('admin')
@ApiSecurity('admin')
@UseGuards(AdminKeyGuard)
@Controller('admin/replays')
export class ReplaysController {
  constructor(
    private readonly replays: ReplayService,
    private readonly jobs: JobQueue,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start an A/B replay of the stored candles of some symbols × timeframes over a period through two scoring versions (400 naming each problem).',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        symbols: ['BTCUSDT', 'ETHUSDT'],
        timeframes: ['5m'],
        from: '2024-08-01T00:00:00Z',
        to: '2024-08-08T00:00:00Z',
        versionA: 1,
        versionB: 2,
      },
    },
  })
  async start(@Body() body: unknown): Promise<Replay> {
    const replay = await this.replays.create(body);
    await this.jobs.enqueue('ab-replay', { replayId: replay.id }, { jobId: `ab-replay:${replay.id}` });
    return replay;
  }

  @Get()
  @ApiOperation({ summary: 'The newest 50 replays with their progress (results: GET /:id).' })
  list(): Promise<Replay[]> {
    return this.replays.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One replay: request, progress and, once done, both result sets side by side.' })
  get(@Param('id') raw: string): Promise<Replay> {
    return this.replays.get(parseReplayId(raw));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Cancel a queued or running replay (a running one stops at its next series); delete a finished one.',
  })
  remove(@Param('id') raw: string): Promise<ReplayDeleted> {
    return this.replays.remove(parseReplayId(raw));
  }
}
