import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { ScoringVersion, ScoringVersionDetail } from '@scanner/contracts';
import type { EngineConfigOverrides } from '@scanner/signal-core';
import { AdminKeyGuard } from '../../common';
import { diffConfigs, EngineConfigService, ScoringVersionsService } from '../../signal-engine';

const NOTE_MAX = 500;

/** A version id from the path: a whole number from 1 (400 otherwise). */
export function parseVersionId(raw: string): number {
  const id = /^[1-9][0-9]{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(id))
    throw new BadRequestException(
      `id must be a scoring version number (1, 2, …), got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  return id;
}

/** The body of `POST /api/admin/scoring-versions`, its shape checked (the config by the engine's validation). */
export function parseCreateBody(body: unknown): {
  config: EngineConfigOverrides;
  note: string;
  activate: boolean;
} {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestException(
      'The body must be a JSON object: {"config": {…engine settings…}, "note": "…", "activate": false}',
    );
  const { config, note, activate, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new BadRequestException(
      `unknown field(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')}: expected config, note, activate`,
    );
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new BadRequestException(
      'config must be a JSON object of engine settings overriding the defaults, e.g. {"minConfidence": 75}',
    );
  if (note !== undefined && (typeof note !== 'string' || note.length > NOTE_MAX))
    throw new BadRequestException(`note must be a string of at most ${NOTE_MAX} characters`);
  if (activate !== undefined && typeof activate !== 'boolean')
    throw new BadRequestException('activate must be true or false');
  return { config: config as EngineConfigOverrides, note: note ?? '', activate: activate ?? false };
}

/**
 * Scoring versions (issue 18 §1), admin key required like every /api/admin route: the engine
 * configuration as numbered versions, one active; a version never changes once made.
 */
@ApiTags('admin')
@ApiSecurity('admin')
@UseGuards(AdminKeyGuard)
@Controller('admin/scoring-versions')
export class ScoringVersionsController {
  constructor(
    private readonly versions: ScoringVersionsService,
    private readonly engineConfig: EngineConfigService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every scoring version, oldest first; exactly one is active.' })
  list(): Promise<ScoringVersion[]> {
    return this.versions.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One version and the settings in which it differs from the active one.' })
  async get(@Param('id') raw: string): Promise<ScoringVersionDetail> {
    const [version, active] = await Promise.all([
      this.versions.get(parseVersionId(raw)),
      this.versions.active(),
    ]);
    return { ...version, changesFromActive: diffConfigs(active.config, version.config) };
  }

  @Post()
  @ApiOperation({
    summary:
      'Create a version: config overrides the defaults like PUT /api/admin/config (400 naming each bad field); activate=true makes it the active one at once.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: { config: { minConfidence: 75 }, note: 'stricter entries', activate: false },
    },
  })
  create(@Body() body: unknown): Promise<ScoringVersion> {
    const { config, note, activate } = parseCreateBody(body);
    return this.engineConfig.createVersion(config, note, activate);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Make this version the active one (404 for an unknown id); engines score with it from their next candle.',
  })
  activate(@Param('id') raw: string): Promise<ScoringVersion> {
    return this.versions.activate(parseVersionId(raw));
  }
}
