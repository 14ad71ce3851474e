import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { THealth } from '@chatbox/contracts';
import { PrismaService } from '@chatbox/server-db';
import { RedisService } from '@chatbox/server-redis';

@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<THealth> {
    const [postgres, redis] = await Promise.all([this.prisma.isUp(), this.redis.isUp()]);
    const up = postgres && redis;
    res.status(up ? 200 : 503);
    return { status: up ? 'ok' : 'degraded', postgres: postgres ? 'up' : 'down', redis: redis ? 'up' : 'down' };
  }
}
