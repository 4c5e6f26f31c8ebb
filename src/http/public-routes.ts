/**
 * The `/api` routes that answer anonymous requests: signing in and what the sign-in page needs.
 * Every other route refuses anonymous requests before any handler runs (`requireSignedIn`), so a
 * route added later is private unless it is listed here. The security test reads the router's
 * route table and proves it.
 */
export const PUBLIC_API_ROUTES: ReadonlyArray<{ method: string; path: string }> = [
  { method: 'POST', path: '/api/session' },
  { method: 'GET', path: '/api/session/dev-users' },
  { method: 'GET', path: '/api/auth/config' },
  { method: 'GET', path: '/api/auth/oidc/login' },
  { method: 'GET', path: '/api/auth/oidc/callback' },
  { method: 'GET', path: '/api/auth/oidc/logout' },
];

/** Whether an anonymous `method path` request may reach its route. */
export function isPublicApiRoute(method: string, path: string): boolean {
  return PUBLIC_API_ROUTES.some((route) => route.method === method && route.path === path);
}
