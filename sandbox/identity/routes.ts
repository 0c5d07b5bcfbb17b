import type { Next, Request, Response, Server } from 'restify';
import type { SandboxIssuer } from './issuer';

/**
 * The sandbox identity issuer's HTTP face, Entra-shaped where the production code calls it:
 * JWKS discovery and the token endpoint. `_sso`, `_consent` and `_revoke` are sandbox-only controls.
 */
export function registerIdentityIssuer(server: Server, issuer: SandboxIssuer, basePath = '/sandbox/identity'): void {
  server.get(`${basePath}/common/discovery/v2.0/keys`, (_req: Request, res: Response, next: Next) => {
    res.json(issuer.jwks());
    next();
  });

  server.get(`${basePath}/:tenantId/v2.0/.well-known/openid-configuration`, (req: Request, res: Response, next: Next) => {
    const tenantId = param(req, 'tenantId');
    res.json({
      issuer: issuer.issuerFor(tenantId),
      token_endpoint: `${issuer.authorityHost}/${tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${issuer.authorityHost}/common/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    next();
  });

  server.post(`${basePath}/:tenantId/oauth2/v2.0/token`, async (req: Request, res: Response) => {
    const result = await issuer.token(formOf(req.body), param(req, 'tenantId'));
    res.status(result.ok ? 200 : result.status);
    res.json(result.body);
  });

  server.post(`${basePath}/_sso`, async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const userId = field(body, 'userId');
    const tenantId = field(body, 'tenantId');
    if (!userId || !tenantId) {
      res.status(400);
      res.json({ error: 'userId and tenantId are required' });
      return;
    }
    res.json({ token: await issuer.issueSsoToken({ userId, tenantId, name: field(body, 'name') }) });
  });

  server.put(`${basePath}/_consent/users/:userId`, (req: Request, res: Response, next: Next) => {
    const body: unknown = req.body;
    const granted = typeof body === 'object' && body !== null && 'granted' in body ? body.granted : undefined;
    if (typeof granted !== 'boolean') {
      res.status(400);
      res.json({ error: 'granted (boolean) is required' });
    } else {
      const userId = param(req, 'userId');
      issuer.setConsent(userId, granted);
      res.json({ userId, granted });
    }
    next();
  });

  // What an admin's "revoke sessions" does to a user's refresh tokens; `tenantId` narrows it to one tenant.
  server.post(`${basePath}/_revoke`, (req: Request, res: Response, next: Next) => {
    const body: unknown = req.body;
    const userId = field(body, 'userId');
    if (!userId) {
      res.status(400);
      res.json({ error: 'userId is required' });
    } else {
      const tenantId = field(body, 'tenantId');
      res.json({ userId, tenantId, revoked: issuer.revokeRefreshTokens(userId, tenantId) });
    }
    next();
  });

  server.get(`${basePath}/_stats`, (_req: Request, res: Response, next: Next) => {
    res.json(issuer.stats);
    next();
  });
}

function formOf(body: unknown): URLSearchParams {
  if (typeof body === 'string') return new URLSearchParams(body);
  const form = new URLSearchParams();
  if (typeof body === 'object' && body !== null) {
    for (const [key, value] of Object.entries(body)) if (typeof value === 'string') form.set(key, value);
  }
  return form;
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function param(req: Request, name: string): string {
  const params = req.params as Record<string, string | undefined>;
  return params[name] ?? '';
}
