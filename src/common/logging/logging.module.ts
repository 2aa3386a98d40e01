import { DynamicModule, Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { requestIdOf } from '../http/request-context';
import { ROOT_LOGGER } from './logging.constants';
import type { RootLogger } from './logger.factory';

/**
 * Owns the app's pino logger, also behind Nest's own Logger (nestjs-pino). Lines about a request
 * carry its `request_id` explicitly (access log, audit events, error filter); access records are
 * written by the access-log middleware, once per request, so pino-http's request logging is off.
 *
 * nestjs-pino's per-request middleware (a child logger plus an AsyncLocalStorage scope around
 * every request) is not mounted: nothing injects a request-scoped PinoLogger, and the scope made
 * every promise of the request pipeline slower — about a fifth of the CPU of a guarded
 * POST /nernst. An injected PinoLogger still works; it writes through the root logger.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(root: RootLogger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger: root.logger,
            autoLogging: false,
            quietReqLogger: true,
            customAttributeKeys: { reqId: 'request_id' },
            genReqId: (req: IncomingMessage) => requestIdOf(req),
          },
          renameContext: 'logger',
          forRoutes: [],
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: root.logger }],
      exports: [ROOT_LOGGER, LoggerModule],
    };
  }
}
