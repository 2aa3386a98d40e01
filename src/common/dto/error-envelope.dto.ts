import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'body.z_valence', description: 'Dotted location of the bad input' })
  field!: string;

  @ApiProperty({ example: 'z_valence must not be greater than 3' })
  message!: string;

  @ApiPropertyOptional({ description: 'The offending value (cut to 100 characters; never for payloads or secrets)' })
  value?: unknown;
}

/** Documentation of the error envelope every non-2xx response uses. */
export class ErrorEnvelopeDto {
  @ApiProperty({ example: 'VALIDATION_ERROR', description: 'Machine-readable error code' })
  error_code!: string;

  @ApiProperty({ example: 'Validation failed: 1 error(s)' })
  message!: string;

  @ApiProperty({ example: 'Validation failed: 1 error(s)', description: 'Copy of message, for older clients' })
  detail!: string;

  @ApiPropertyOptional({ type: [ErrorDetailDto] })
  details?: ErrorDetailDto[];

  @ApiProperty({ example: '3f1c2a9e-8d0b-4f4e-9a57-0c1d2e3f4a5b' })
  request_id!: string;

  @ApiProperty({ example: '2026-01-01T10:30:00.000Z' })
  timestamp!: string;

  @ApiPropertyOptional({ example: 12, description: 'Seconds until a retry may succeed (429 only)' })
  retry_after?: number;
}
