import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AlertDeliveryPage, AlertRule, AlertTestResult } from '@scanner/contracts';
import { AdminKeyGuard } from '../common';
import { AlertRulesAdminService } from './alert-rules-admin.service';

const EXAMPLE = {
  name: 'BTC/ETH longs confirmed on 2 timeframes',
  symbolPattern: 'BTCUSDT|ETHUSDT',
  direction: 'LONG',
  minConfidence: 70,
  minAgreeingTimeframes: 2,
  events: ['created', 'outcome'],
  cooldownMinutes: 60,
  channels: [
    { type: 'webhook', url: 'https://example.com/hook', secret: 'a-long-secret', bodyTemplate: null },
  ],
};

/** Alert rules (issue 17), admin key required like every /api/admin route. */
@ApiTags('admin')
@ApiSecurity('admin')
@UseGuards(AdminKeyGuard)
@Controller('admin/alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesAdminService) {}

  @Get()
  @ApiOperation({
    summary: 'Every alert rule; the default rule from the environment first (id "env", read-only).',
  })
  list(): Promise<AlertRule[]> {
    return this.rules.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Create a rule; validated (400 naming every bad field). Secrets come back masked.',
  })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  create(@Body() body: unknown): Promise<AlertRule> {
    return this.rules.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule.' })
  get(@Param('id') id: string): Promise<AlertRule> {
    return this.rules.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a rule; a secret sent back masked keeps the stored one.' })
  @ApiBody({ schema: { type: 'object', example: EXAMPLE } })
  update(@Param('id') id: string, @Body() body: unknown): Promise<AlertRule> {
    return this.rules.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a rule and its delivery log.' })
  async remove(@Param('id') id: string): Promise<void> {
    await this.rules.remove(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Send a sample alert to every channel of the rule now (or to `channelId` only); the answers, also logged.',
  })
  @ApiBody({ required: false, schema: { type: 'object', example: { channelId: 'c1a2b3c4' } } })
  test(@Param('id') id: string, @Body() body: unknown): Promise<AlertTestResult[]> {
    let channelId: string | null = null;
    if (body !== undefined && body !== null) {
      if (typeof body !== 'object' || Array.isArray(body))
        throw new BadRequestException(
          'The body must be empty or a JSON object, e.g. {"channelId": "c1a2b3c4"}',
        );
      const given = (body as { channelId?: unknown }).channelId;
      if (given !== undefined && given !== null) {
        if (typeof given !== 'string' || given === '')
          throw new BadRequestException("channelId: the id of one of the rule's channels");
        channelId = given;
      }
    }
    return this.rules.sendTest(id, channelId);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'The newest deliveries of the rule (sent, retried, failed, suppressed) with each answer.',
  })
  async deliveries(@Param('id') id: string, @Query('limit') limit?: string): Promise<AlertDeliveryPage> {
    let take = 100;
    if (limit !== undefined) {
      take = Number(limit);
      if (!Number.isInteger(take) || take < 1 || take > 1000)
        throw new BadRequestException('limit: a whole number from 1 to 1000');
    }
    return { deliveries: await this.rules.deliveries(id, take) };
  }
}
