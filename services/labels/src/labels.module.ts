import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { RuntimeModule } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { BarsConsumer, LABELS_SERVICE } from './bars.consumer';
import { LabelsCloseDateUseCase } from './labels.close-date.use-case';

/** The labels service: bars in, matured labels (one row per date, instrument, horizon) out. */
@Module({})
export class LabelsModule {
  static forRoot(config: RegionConfig, runtime: Omit<RuntimeOptions, 'service'> = {}): DynamicModule {
    return {
      module: LabelsModule,
      imports: [RuntimeModule.forConfig(config, { ...runtime, service: LABELS_SERVICE })],
      providers: [LabelsCloseDateUseCase, BarsConsumer],
      exports: [BarsConsumer],
    };
  }
}
