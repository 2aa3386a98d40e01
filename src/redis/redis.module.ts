import { Module } from '@nestjs/common';
import { SecretsModule } from '../secrets/secrets.module';
import { RedisService } from './redis.service';

/** The shared Redis connection (its URL and password come from the secrets). */
@Module({ imports: [SecretsModule], providers: [RedisService], exports: [RedisService] })
export class RedisModule {}
