import { Module } from '@nestjs/common';
import { FallbackController } from './fallback.controller';

/** Imported last by AppModule so its catch-all route is registered after every real route. */
@Module({ controllers: [FallbackController] })
export class FallbackModule {}
