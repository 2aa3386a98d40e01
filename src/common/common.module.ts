import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './filters/all-exceptions.filter';
import { RouteTable } from './http/route-table';
import { AppValidationPipe } from './pipes/validation.pipe';

/** Cross-cutting pieces: the error filter, the validation pipe and the route table. */
@Module({
  providers: [
    RouteTable,
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useClass: AppValidationPipe },
  ],
  exports: [RouteTable],
})
export class CommonModule {}
