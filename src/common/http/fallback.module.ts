import { Module } from '@nestjs/common';
import { CommonModule } from '../common.module';
import { FallbackController } from './fallback.controller';

/** Imported last by AppModule so its catch-all route is registered after every real route. */
@Module({ imports: [CommonModule], controllers: [FallbackController] })
export class FallbackModule {}
