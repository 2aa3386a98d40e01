import { DynamicModule, Global, Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { requestIdOf } from '../http/request-context';
import { ROOT_LOGGER } from './logging.constants';
import type { RootLogger } from './logger.factory';

/**
 * Owns the app's pino logger: nestjs-pino binds a per-request child (with `request_id`) so any
 * injected PinoLogger writes lines tied to the current request. Access records are written by
 * the access-log middleware, once per request, so pino-http's own request logging is off.
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
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: root.logger }],
      exports: [ROOT_LOGGER, LoggerModule],
    };
  }
}
