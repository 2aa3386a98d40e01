import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'mfn:isPublic';

/** Marks a route as reachable without an API key (health, metrics, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
