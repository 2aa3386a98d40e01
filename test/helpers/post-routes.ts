/** Every POST route of the service (path parameters filled in), and a path no route claims. */
export const POST_ROUTES = [
  '/nernst',
  '/simulate',
  '/validate',
  '/federated/aggregate',
  '/api/encrypt',
  '/api/decrypt',
  '/api/sign',
  '/api/verify',
  '/api/keypair',
  '/api/keys',
  '/api/keys/some-key/rotate',
  '/api/keys/some-key/config',
] as const;

export const UNKNOWN_POST_ROUTE = '/no/such/route';
