import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Paths of the service's public pages; the docs links only when docs are enabled (MFN_DOCS_ENABLED). */
export class ServiceLinksDto {
  @ApiProperty({ example: '/health', description: 'Liveness probe' })
  health!: string;

  @ApiProperty({ example: '/health/ready', description: 'Readiness probe' })
  ready!: string;

  @ApiPropertyOptional({ example: '/docs', description: 'Swagger UI (only when docs are enabled)' })
  docs?: string;

  @ApiPropertyOptional({ example: '/redoc', description: 'ReDoc (only when docs are enabled)' })
  redoc?: string;

  @ApiPropertyOptional({ example: '/openapi.json', description: 'OpenAPI document (only when docs are enabled)' })
  openapi?: string;
}

export class ServiceIndexDto {
  @ApiProperty({ example: 'MFN Secure Service' })
  name!: string;

  @ApiProperty({ example: '4.1.0' })
  version!: string;

  @ApiProperty({ type: ServiceLinksDto })
  links!: ServiceLinksDto;
}
