import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../errors/error-code';

/** The request id and time every documented error example shows (examples stay the same from build to build). */
export const EXAMPLE_REQUEST_ID = '3f1c2a9e-8d0b-4f4e-9a57-0c1d2e3f4a5b';
export const EXAMPLE_TIMESTAMP = '2026-01-01T10:30:00.000Z';

export class ErrorDetailDto {
  @ApiProperty({ example: 'body.z_valence', description: 'Dotted location of the bad input (at most 128 characters)' })
  field!: string;

  @ApiProperty({ example: 'z_valence must not be greater than 3', description: 'At most 256 characters' })
  message!: string;

  @ApiPropertyOptional({
    description: 'The offending value (cut to 100 characters; never for payloads or secrets)',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    nullable: true,
  })
  value?: string | number | boolean | null;
}

/** Documentation of the error envelope every non-2xx response uses. */
export class ErrorEnvelopeDto {
  @ApiProperty({ example: ErrorCode.VALIDATION_ERROR, description: 'Machine-readable error code (each response status shows its own examples)' })
  error_code!: string;

  @ApiProperty({ example: 'Validation failed: 1 error(s)' })
  message!: string;

  @ApiProperty({ example: 'Validation failed: 1 error(s)', description: 'Copy of message, for older clients' })
  detail!: string;

  @ApiPropertyOptional({ description: 'The first 20 problems; the message gives the total' })
  details?: ErrorDetailDto[];

  @ApiPropertyOptional({ example: 280, description: 'How many problems are not listed in details (only when more than 20)' })
  details_truncated?: number;

  @ApiProperty({ example: EXAMPLE_REQUEST_ID })
  request_id!: string;

  @ApiProperty({ example: EXAMPLE_TIMESTAMP })
  timestamp!: string;

  @ApiPropertyOptional({ example: 12, description: 'Seconds until a retry may succeed (429, and 503 when a retry soon may help)' })
  retry_after?: number;
}
