import { Module } from '@nestjs/common';
import { RootController } from './root.controller';

/** `GET /`, the service index. Imported before FallbackModule (app.module.ts). */
@Module({ controllers: [RootController] })
export class RootModule {}
