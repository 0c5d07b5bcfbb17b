import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Next, Request, Response, Server } from 'restify';
import { SANDBOX_USER } from '../identity/issuer';

/**
 * The sandbox's stand-in for the Teams web client: `/sandbox/teams` hosts the personal tab (`/tab/`)
 * in an iframe and answers the teams-js host protocol as Teams does (see client.ts). It is served by
 * the app itself, on the tab's own origin, and exists only in sandbox mode (mountSandbox mounts it).
 */
export function registerTeamsHost(server: Server, basePath = '/sandbox/teams'): void {
  const script = new HostScript();
  script.warm();

  server.get(basePath, (_req: Request, res: Response, next: Next) => {
    send(res, 200, 'text/html; charset=utf-8', page(basePath));
    next();
  });
  server.get(`${basePath}/host.css`, (_req: Request, res: Response, next: Next) => {
    send(res, 200, 'text/css; charset=utf-8', HOST_CSS);
    next();
  });
  server.get(`${basePath}/host.js`, async (_req: Request, res: Response) => {
    try {
      send(res, 200, 'text/javascript; charset=utf-8', await script.text());
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `The sandbox Teams host script could not be built: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

function send(res: Response, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** The host script is TypeScript (client.ts), bundled once with esbuild (a dev dependency: sandbox mode is development only). */
class HostScript {
  private built?: Promise<string>;

  warm(): void {
    this.text().catch(() => undefined);
  }

  text(): Promise<string> {
    this.built ??= this.build().catch((err: unknown) => {
      this.built = undefined;
      throw err;
    });
    return this.built;
  }

  private async build(): Promise<string> {
    const source = [join(__dirname, 'client.ts'), resolve(__dirname, '..', '..', '..', 'sandbox', 'teams-host', 'client.ts')].find((p) => existsSync(p));
    if (!source) throw new Error('sandbox/teams-host/client.ts not found');
    const esbuild = await import('esbuild');
    const out = await esbuild.build({
      entryPoints: [source],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      platform: 'browser',
      logLevel: 'silent',
    });
    const file = out.outputFiles[0];
    if (!file) throw new Error('esbuild produced no output');
    return file.text;
  }
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The app's four languages first, then locales that fall back (pt-PT to pt-BR, en-GB and de-DE to English). */
const LOCALES = ['en-US', 'pt-BR', 'ja-JP', 'ru-RU', 'en-GB', 'pt-PT', 'de-DE'] as const;
const LOCALE_NAMES: Readonly<Record<(typeof LOCALES)[number], string>> = {
  'en-US': 'English (en-US)',
  'pt-BR': 'Português (pt-BR)',
  'ja-JP': '日本語 (ja-JP)',
  'ru-RU': 'Русский (ru-RU)',
  'en-GB': 'English (en-GB)',
  'pt-PT': 'Português (pt-PT)',
  'de-DE': 'Deutsch (de-DE): not translated, English',
};

function page(basePath: string): string {
  const options = (values: readonly string[], labels?: Readonly<Record<string, string>>) =>
    values.map((v) => `<option value="${escape(v)}">${escape(labels?.[v] ?? v)}</option>`).join('');
  return `<!doctype html>
<html lang="en" data-theme="default">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox Teams host</title>
<link rel="stylesheet" href="${basePath}/host.css">
<script src="${basePath}/host.js" defer></script>
</head>
<body data-default-user-id="${escape(SANDBOX_USER.userId)}" data-default-tenant-id="${escape(SANDBOX_USER.tenantId)}" data-default-name="${escape(SANDBOX_USER.name)}">
<header class="host-bar">
  <p class="host-title"><strong>Sandbox Teams host</strong> <span>A local stand-in for Teams: it speaks the teams-js protocol to the tab. Not Microsoft Teams.</span></p>
  <form id="host-controls" class="host-controls">
    <label>User (aadObjectId) <input name="userId" size="38" spellcheck="false" autocomplete="off"></label>
    <label>Tenant <input name="tenantId" size="38" spellcheck="false" autocomplete="off"></label>
    <label>Name <input name="name" size="14" autocomplete="off"></label>
    <label>Locale <select name="locale">${options(LOCALES, LOCALE_NAMES)}</select></label>
    <label>Theme <select name="theme">${options(['default', 'dark', 'contrast'], { default: 'Light (default)', dark: 'Dark', contrast: 'High contrast' })}</select></label>
    <label>Width <select name="width">${options(['desktop', 'phone'], { desktop: 'Desktop', phone: 'Phone (360 px)' })}</select></label>
    <button type="submit">Reload tab</button>
  </form>
</header>
<main class="host-main">
  <div class="app-header"><span class="app-icon" aria-hidden="true"></span><span class="app-name">Presence</span><span class="app-tab" aria-current="page">Status</span><span id="host-status" class="host-status" role="status"></span></div>
  <div class="frame-wrap"><iframe id="tab" title="Presence tab" src="about:blank"></iframe></div>
  <details class="host-log"><summary>teams-js messages</summary><ol id="host-log"></ol></details>
</main>
</body>
</html>`;
}

const HOST_CSS = `
:root{color-scheme:light;--bg:#ebebeb;--chrome:#ffffff;--fg:#242424;--muted:#616161;--stroke:#d1d1d1;--brand:#5b5fc7}
[data-theme="dark"]{color-scheme:dark;--bg:#0a0a0a;--chrome:#1f1f1f;--fg:#ffffff;--muted:#adadad;--stroke:#525252;--brand:#7f85f5}
[data-theme="contrast"]{color-scheme:dark;--bg:#000000;--chrome:#000000;--fg:#ffffff;--muted:#ffffff;--stroke:#ffffff;--brand:#1aebff}
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;display:flex;flex-direction:column;background:var(--bg);color:var(--fg);font:14px/20px "Segoe UI",system-ui,sans-serif}
.host-bar{background:var(--chrome);border-bottom:1px solid var(--stroke);padding:8px 16px}
.host-title{margin:0 0 6px}.host-title span{color:var(--muted);font-size:12px}
.host-controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:end;font-size:12px}
.host-controls label{display:flex;flex-direction:column;color:var(--muted)}
.host-controls input,.host-controls select,.host-controls button{font:inherit;font-size:13px;color:var(--fg);background:var(--chrome);border:1px solid var(--stroke);border-radius:4px;padding:3px 6px;min-height:28px}
.host-controls button{cursor:pointer;font-weight:600}
:focus-visible{outline:2px solid var(--fg);outline-offset:2px}
.host-main{flex:1;display:flex;flex-direction:column;min-height:0}
.app-header{display:flex;align-items:center;gap:10px;background:var(--chrome);padding:8px 16px;border-bottom:1px solid var(--stroke)}
.app-icon{width:24px;height:24px;border-radius:4px;background:var(--brand)}
.app-name{font-weight:700;font-size:16px}
.app-tab{padding:4px 2px;border-bottom:2px solid var(--brand);font-weight:600}
.host-status{margin-left:auto;color:var(--muted);font-size:12px}
.frame-wrap{flex:1;display:flex;justify-content:flex-start;min-height:480px}
#tab{flex:1;border:0;width:100%;min-height:480px;background:transparent}
body[data-width="phone"] .frame-wrap{justify-content:center;padding:12px}
body[data-width="phone"] #tab{flex:none;width:360px;border:1px solid var(--stroke);border-radius:12px}
.host-log{background:var(--chrome);border-top:1px solid var(--stroke);padding:4px 16px;font-size:12px;max-height:30vh;overflow:auto}
.host-log ol{margin:4px 0;padding-left:20px;font-family:ui-monospace,Consolas,monospace}
`;
