import { All, Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { AppException, ErrorCode, Public } from '../common';
import { STREAM_PATHS } from './protocol';

/** 426 Upgrade Required (RFC 9110 section 15.5.22); Nest's HttpStatus does not list it. */
export const UPGRADE_REQUIRED = 426;

/**
 * The stream paths asked without a WebSocket upgrade (a browser, curl, a probe): 426 with
 * `Upgrade: websocket` in the error envelope, key or no key, instead of the catch-all's 401/404,
 * which would read as "wrong key" or "no such endpoint". Real upgrades never reach Express
 * (isStreamUpgrade). Not in the OpenAPI document: the streams are described in docs/streaming.md.
 */
@ApiExcludeController()
@Public()
@Controller()
export class StreamPathsController {
  @All([STREAM_PATHS.features, STREAM_PATHS.simulation])
  upgradeRequired(): never {
    throw new AppException(ErrorCode.INVALID_REQUEST, 'This path serves WebSocket streams: connect with a WebSocket client (Upgrade: websocket)', UPGRADE_REQUIRED, {
      headers: { Upgrade: 'websocket' },
    });
  }
}
