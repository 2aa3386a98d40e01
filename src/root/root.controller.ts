import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common';
import { AppConfig } from '../config';
import { DOCS_PATH, OPENAPI_JSON_PATH } from '../docs/openapi';
import { REDOC_PATH } from '../docs/redoc';
import { ServiceIndexDto } from './service-index.dto';

export const SERVICE_NAME = 'MFN Secure Service';

/**
 * `GET /`: what this service is and where its public pages are. Public like the probes (no API
 * key), answered from a value built once; the docs links appear only when the docs are served.
 * Registered before the fallback controller, whose catch-all would otherwise answer `/` with 404.
 */
@ApiTags('service')
@Public()
@Controller()
export class RootController {
  private readonly index: ServiceIndexDto;

  constructor(config: AppConfig) {
    const docs = config.docsEnabled ? { docs: DOCS_PATH, redoc: REDOC_PATH, openapi: OPENAPI_JSON_PATH } : {};
    this.index = { name: SERVICE_NAME, version: config.version, links: { health: '/health', ready: '/health/ready', ...docs } };
  }

  @Get()
  @ApiOperation({ summary: 'Service index: name, version and links to the probes (and the docs, when enabled)' })
  @ApiOkResponse({ type: ServiceIndexDto })
  root(): ServiceIndexDto {
    return this.index;
  }
}
