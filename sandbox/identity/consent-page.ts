import type { Next, Request, Response, Server } from 'restify';
import type { SandboxIssuer } from './issuer';

const PAGE = (userId: string, done: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox consent</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#242424}
button{font:inherit;padding:.5rem 1.25rem;border-radius:4px;border:0;background:#5b5fc7;color:#fff;cursor:pointer}
button:focus-visible{outline:2px solid #242424;outline-offset:2px}</style></head>
<body><main><h1>Sandbox: permission request</h1>
<p>The presence app asks to read and write your presence (<code>Presence.ReadWrite</code>) for user <code>${userId}</code>.</p>
${
  done
    ? '<p role="status">Permission granted. Close this page and send your command again.</p>'
    : `<form method="post"><input type="hidden" name="userId" value="${userId}"><button type="submit">Accept</button></form>`
}
</main></body></html>`;

/** A stand-in for the Entra consent prompt: the sandbox bot's consent card links here. */
export function registerConsentPage(server: Server, issuer: SandboxIssuer, path = '/sandbox/identity/consent'): void {
  const userIdOf = (value: unknown) => (typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : undefined);
  const send = (res: Response, status: number, html: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  };
  server.get(path, (req: Request, res: Response, next: Next) => {
    const userId = userIdOf((req.query as Record<string, unknown> | undefined)?.userId);
    if (userId) send(res, 200, PAGE(userId, false));
    else send(res, 400, 'userId is required');
    next();
  });
  server.post(path, (req: Request, res: Response, next: Next) => {
    const userId = userIdOf((req.body as Record<string, unknown> | undefined)?.userId);
    if (userId) issuer.setConsent(userId, true);
    if (userId) send(res, 200, PAGE(userId, true));
    else send(res, 400, 'userId is required');
    next();
  });
}
