import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HealthRegistry } from './health.registry';

/** The part of Express's response we use (no @types/express in the tree). */
interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * - `GET /health/live`: 200 while the process works, 503 once a component
 *   stopped for good (a failed consumer): restart it. Answering at all means
 *   the event loop is not wedged.
 * - `GET /health/ready`: 200 when live, every component ready (resumed from
 *   the store, a model loaded where one is needed) and the bus and the store
 *   answer; 503 with the reasons otherwise.
 * - `GET /health`: the whole report (components' progress, dependencies),
 *   200 while live, 503 otherwise.
 */
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthRegistry) private readonly registry: HealthRegistry) {}

  @Get()
  health(@Res() res: HttpResponse): void {
    const report = this.registry.report();
    res.status(report.live ? 200 : 503).json(report);
  }

  @Get('live')
  live(@Res() res: HttpResponse): void {
    const { live, reasons } = this.registry.report();
    res.status(live ? 200 : 503).json({ live, reasons: live ? [] : reasons });
  }

  @Get('ready')
  ready(@Res() res: HttpResponse): void {
    const { ready, reasons } = this.registry.report();
    res.status(ready ? 200 : 503).json({ ready, reasons });
  }
}
