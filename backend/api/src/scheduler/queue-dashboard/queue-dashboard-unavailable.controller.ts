import { Controller, Get, NotFoundException, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AdminKeyGuard } from '../../common';

/** Without Redis there are no Bull queues to show: say so instead of a bare 404. */
@ApiExcludeController()
@UseGuards(AdminKeyGuard)
@Controller('admin/queues')
export class QueueDashboardUnavailableController {
  @Get()
  unavailable(): never {
    throw new NotFoundException(
      'The queue dashboard needs Redis (REDIS_URL): jobs run in-process; see GET /api/admin/status',
    );
  }
}
