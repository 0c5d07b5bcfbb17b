import { SANDBOX_USER } from './identity/issuer';

/** The sandbox at `baseUrl`: its URLs worth trying (the bot endpoint is the app's, not the sandbox's). */
export function sandboxUrls(baseUrl: string): Readonly<Record<string, string>> {
  const graph = `${baseUrl}/sandbox/graph`;
  return {
    'Graph emulator': `${graph}/v1.0`,
    'Your presence state': `${graph}/_state/users/${SANDBOX_USER.userId}`,
    'Graph requests served': `${graph}/_requests`,
    'Emulator clock': `${graph}/_clock`,
    'Identity issuer': `${baseUrl}/sandbox/identity`,
  };
}

export function consentUrl(baseUrl: string, userId: string): string {
  return `${baseUrl}/sandbox/identity/consent?userId=${encodeURIComponent(userId)}`;
}
