import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { RuntimeModule } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { BarsConsumer, FEATURES_SERVICE } from './bars.consumer';
import { FeaturesCloseDateUseCase } from './features.close-date.use-case';

/** The features service: bars in, one `features` row per (date, instrument) out. */
@Module({})
export class FeaturesModule {
  static forRoot(config: RegionConfig, runtime: Omit<RuntimeOptions, 'service'> = {}): DynamicModule {
    return {
      module: FeaturesModule,
      imports: [RuntimeModule.forConfig(config, { ...runtime, service: FEATURES_SERVICE })],
      providers: [FeaturesCloseDateUseCase, BarsConsumer],
      exports: [BarsConsumer],
    };
  }
}
