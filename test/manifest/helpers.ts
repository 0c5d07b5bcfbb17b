/**
 * Shared reading for the deployment tests: the repository's files as text or JSON, the env files,
 * and sample values for every placeholder (GUIDs for IDs, a host name for BOT_DOMAIN, https URLs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile, placeholdersIn, ROOT } from '../../scripts/package-app';

export const ENVIRONMENTS = ['dev', 'local'] as const;

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export function json<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readText(path)) as T;
}

export function envFile(name: (typeof ENVIRONMENTS)[number]): Record<string, string> {
  return parseEnvFile(readText(`env/.env.${name}`));
}

export const SAMPLE = {
  TEAMS_APP_ID: '0d2a5f0e-6c1b-4b7e-9a43-1f0e2d3c4b5a',
  AAD_APP_CLIENT_ID: '6f1e2d3c-4b5a-4c9d-8e7f-0a1b2c3d4e5f',
  BOT_ID: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
  AAD_APP_TENANT_ID: '72f988bf-0000-4000-8000-00000000a001',
  BOT_DOMAIN: 'presence-abc12345.azurewebsites.net',
} as const;

/** A plausible value for any placeholder name. */
export function sampleValue(name: string): string {
  const known = (SAMPLE as Record<string, string>)[name];
  if (known) return known;
  if (name.endsWith('_URL')) return `https://www.example.com/${name.toLowerCase()}`;
  if (/_ID$/.test(name)) return '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
  if (name === 'APP_NAME_SUFFIX') return '-test';
  if (name === 'DEVELOPER_NAME') return 'Contoso';
  return `sample-${name.toLowerCase()}`;
}

/** Sample values for every placeholder in the given texts. */
export function sampleValues(...texts: string[]): Record<string, string> {
  return Object.fromEntries(texts.flatMap(placeholdersIn).map((name) => [name, sampleValue(name)]));
}

/** The `uses:` actions of a lifecycle stage in an m365agents*.yml, in order. */
export function actionsOf(yml: string, stage: 'provision' | 'deploy' | 'publish'): string[] {
  const lines = yml.split(/\r?\n/);
  const start = lines.findIndex((l) => l === `${stage}:`);
  if (start < 0) return [];
  const actions: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !line.startsWith('#')) break;
    const m = /^\s+- uses: (\S+)/.exec(line);
    if (m?.[1]) actions.push(m[1]);
  }
  return actions;
}

/** Environment variables an m365agents*.yml writes: writeToEnvironmentFile targets and ::set-teamsfx-env. */
export function writtenBy(yml: string): Set<string> {
  const names = new Set<string>();
  const lines = yml.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s+writeToEnvironmentFile:\s*$/.test(lines[i] ?? '')) continue;
    const indent = /^(\s*)/.exec(lines[i] ?? '')?.[1]?.length ?? 0;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (!line.trim() || line.trim().startsWith('#')) continue;
      if ((/^(\s*)/.exec(line)?.[1]?.length ?? 0) <= indent) break;
      const m = /^\s+\w+:\s*([A-Z_][A-Z0-9_]*)\s*$/.exec(line);
      if (m?.[1]) names.add(m[1]);
    }
  }
  for (const m of yml.matchAll(/::set-teamsfx-env ([A-Z_][A-Z0-9_]*)=/g)) if (m[1]) names.add(m[1]);
  return names;
}

/** The `envs:` of file/createOrUpdateEnvironmentFile: the variables a yml gives the local server. */
export function runtimeEnvsOf(yml: string): Record<string, string> {
  const lines = yml.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s+envs:\s*$/.test(l));
  const envs: Record<string, string> = {};
  if (start < 0) return envs;
  const indent = /^(\s*)/.exec(lines[start] ?? '')?.[1]?.length ?? 0;
  for (const line of lines.slice(start + 1)) {
    if ((/^(\s*)/.exec(line)?.[1]?.length ?? 0) <= indent) break;
    const m = /^\s+([A-Z_][A-Z0-9_]*):\s*(.*)$/.exec(line);
    if (m?.[1]) envs[m[1]] = (m[2] ?? '').trim();
  }
  return envs;
}

/** The Bicep outputs (name -> expression) of a template. */
export function bicepOutputs(bicep: string): Map<string, string> {
  return new Map([...bicep.matchAll(/^output (\w+) \w+ = (.+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** The App Service app settings in infra/azure.bicep (the appsettings config resource's properties). */
export function bicepAppSettings(bicep: string): Map<string, string> {
  const block = /resource \w+ 'Microsoft\.Web\/sites\/config@[^']+' = \{[\s\S]*?name: 'appsettings'\s+properties: \{([\s\S]*?)\n {2}\}/.exec(bicep)?.[1] ?? '';
  return new Map([...block.matchAll(/^\s+([A-Z_][A-Z0-9_]*): (.+)$/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
}
