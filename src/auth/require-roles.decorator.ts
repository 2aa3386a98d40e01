import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiErrorResponse } from '../common/decorators/api-error-responses.decorator';
import { StandardErrors } from '../common/errors/standard-errors';
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
    ApiErrorResponse({ errors: [StandardErrors.roleRequired(roles)], description: `Requires role: ${roles.join(' or ')}` }),
  );
}
