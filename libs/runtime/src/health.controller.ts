import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HealthRegistry } from './health.registry';

/** The part of Express's response we use (no @types/express in the tree). */
interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

/** `GET /health`: 200 with each component's progress (last date, lag), 503 when one stopped. */
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthRegistry) private readonly registry: HealthRegistry) {}

  @Get()
  health(@Res() res: HttpResponse): void {
    const report = this.registry.report();
    res.status(report.ok ? 200 : 503).json(report);
  }
}
