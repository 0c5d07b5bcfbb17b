/**
 * The hosts Microsoft documents as the frame ancestors of a Teams tab that also runs in Outlook and
 * the Microsoft 365 app: "Tab requirements", table "Microsoft 365 app host / frame-ancestor permission",
 * https://learn.microsoft.com/en-us/microsoftteams/platform/tabs/how-to/tab-requirements
 * (source: MicrosoftDocs/msteams-docs, msteams-platform/includes/tabs/content-security-policy-headers.md):
 *   All hosts (New)    *.cloud.microsoft
 *   Teams              teams.microsoft.com, *.teams.microsoft.com
 *   Microsoft 365 app  *.microsoft365.com, *.office.com
 *   Outlook            outlook.office.com, outlook.office365.com, outlook-sdf.office.com, outlook-sdf.office365.com
 * The page's own example writes them with https://, as here: a tab is only ever framed over HTTPS.
 * Older revisions listed *.skype.com, teams.cloud.microsoft (now within *.cloud.microsoft),
 * outlook.live.com and copilot.microsoft.com; the current page does not, so neither does this list.
 */
export const MICROSOFT_365_FRAME_ANCESTORS: readonly string[] = [
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];

/**
 * TeamsJS (2.19+) fetches the list of host origins it trusts from this file when it loads, and falls
 * back to its built-in list if it cannot; allowing exactly this URL avoids a CSP violation on every load.
 */
const TEAMS_JS_VALID_DOMAINS = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

/** Who may frame the tab: Microsoft's hosts, plus the sandbox Teams host's origin in sandbox mode only. */
export function tabFrameAncestors(sandboxOrigin?: string): readonly string[] {
  if (sandboxOrigin === undefined) return MICROSOFT_365_FRAME_ANCESTORS;
  const { origin, protocol } = new URL(sandboxOrigin);
  if (origin !== sandboxOrigin.replace(/\/+$/, '') || (protocol !== 'http:' && protocol !== 'https:')) {
    throw new Error(`the sandbox origin must be an http(s) origin with no path, got ${sandboxOrigin}`);
  }
  return [...MICROSOFT_365_FRAME_ANCESTORS, origin];
}

/**
 * The tab's pages load only their own scripts, styles and images and talk only to their own origin.
 * No inline script and no inline style: the page's only styles are its own stylesheet (tab/page/styles.css),
 * and its looks change through classes and data attributes on the elements, so style-src needs nothing else.
 */
function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  if (frameAncestors.length === 0) throw new Error('frame-ancestors needs at least one source');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${TEAMS_JS_VALID_DOMAINS}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ');
}

/** Headers on every page the tab serves. No X-Frame-Options: it cannot allow Teams and would block it. */
export function pageSecurityHeaders(frameAncestors: readonly string[]): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(frameAncestors),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}
