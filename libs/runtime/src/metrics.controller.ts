import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { ServiceMetrics } from '@alphafeed/ops';
import { METRICS } from './tokens';

interface HttpResponse {
  status(code: number): { type(contentType: string): { send(body: string): void } };
}

/** `GET /metrics`: the service's Prometheus metrics (text exposition format). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: ServiceMetrics) {}

  @Get()
  async scrape(@Res() res: HttpResponse): Promise<void> {
    const body = await this.metrics.exposition();
    res.status(200).type(this.metrics.contentType).send(body);
  }
}
