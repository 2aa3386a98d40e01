import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../common/dto/error-envelope.dto';
import { Role } from './roles';

export const REQUIRED_ROLES_KEY = 'mfn:requiredRoles';
export const API_KEY_SECURITY = 'X-API-Key';

/**
 * One decorator carries both the access rule and its documentation, so they cannot drift: the
 * route needs an API key holding any of `roles` (admin always passes).
 */
export function RequireRoles(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_ROLES_KEY, roles),
    ApiSecurity(API_KEY_SECURITY),
    ApiForbiddenResponse({ description: `Requires role: ${roles.join(' or ')} (FORBIDDEN)`, type: ErrorEnvelopeDto }),
  );
}
