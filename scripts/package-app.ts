/**
 * Builds the Teams app package: manifest/manifest.json with its ${{VAR}} placeholders filled from
 * env/.env.<env> (then env/.env.<env>.user, then the process environment), the two icons and every
 * localization file the manifest lists (copied as they are, like the toolkit does), validated offline
 * against the JSON schemas bundled in @microsoft/app-manifest, zipped to
 * appPackage/build/appPackage.<env>.zip.
 *
 *   npx tsx scripts/package-app.ts [--env dev] [--out appPackage/build]
 *
 * The Agents Toolkit's teamsApp/zipAppPackage produces the same package from the same files.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';
import { writeZip, type ZipEntry } from './zip';
import { GUID } from '../server/config';
import { PARSER_WORDS } from '../bot/words';
import type { CommandKey } from '../bot/words/catalog';
import { languageOf } from '../i18n/languages';

export const ROOT = join(__dirname, '..');
export const MANIFEST_DIR = join(ROOT, 'manifest');
export const ENV_DIR = join(ROOT, 'env');
export const DEFAULT_OUT_DIR = join(ROOT, 'appPackage', 'build');

/** The Agents Toolkit's placeholder syntax: ${{NAME}}. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ICON_SIZES: Readonly<Record<'color' | 'outline', number>> = { color: 192, outline: 32 };
const BOT_FRAMEWORK_TOKEN_DOMAIN = 'token.botframework.com';

export type EnvValues = Readonly<Record<string, string | undefined>>;

export class PackageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The app package is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

/** Parses a toolkit .env file: KEY=VALUE lines, # comments, optional single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    values[key] = value;
  }
  return values;
}

/** The variables of an environment: env/.env.<name>, overridden by env/.env.<name>.user, then by non-empty process variables. */
export function loadEnv(name: string, options: { envDir?: string; processEnv?: EnvValues } = {}): Record<string, string> {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new PackageError([`Invalid environment name: ${name}`]);
  const envDir = options.envDir ?? ENV_DIR;
  const file = join(envDir, `.env.${name}`);
  if (!existsSync(file)) throw new PackageError([`No ${relative(ROOT, file)}: create it (see docs/deploy.md) or pass --env with an existing environment.`]);
  const values = parseEnvFile(readFileSync(file, 'utf8'));
  const userFile = `${file}.user`;
  if (existsSync(userFile)) Object.assign(values, parseEnvFile(readFileSync(userFile, 'utf8')));
  for (const [key, value] of Object.entries(options.processEnv ?? process.env)) {
    if (value && /^[A-Z_][A-Z0-9_]*$/.test(key)) values[key] = value;
  }
  return values;
}

/** The names of the ${{VAR}} placeholders in a text, in order of first appearance. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Fills the placeholders; every one must have a non-empty value. Values are JSON-escaped (the texts are JSON files). */
export function fillPlaceholders(text: string, values: EnvValues, source: string): string {
  const missing = placeholdersIn(text).filter((name) => !values[name]);
  if (missing.length)
    throw new PackageError(missing.map((name) => `${source}: \${{${name}}} has no value (set ${name} in env/.env.<env>, or in the environment)`));
  return text.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(values[name] ?? '').slice(1, -1));
}

interface LocalizationInfo {
  readonly defaultLanguageTag?: string;
  readonly defaultLanguageFile?: string;
  readonly additionalLanguages?: readonly { readonly languageTag: string; readonly file: string }[];
}

/** The manifest's parts this script checks, as read from JSON. */
export interface ManifestShape {
  readonly manifestVersion?: string;
  readonly $schema?: string;
  readonly id?: string;
  readonly icons?: { readonly color?: string; readonly outline?: string };
  readonly localizationInfo?: LocalizationInfo;
  readonly bots?: readonly {
    readonly botId?: string;
    readonly scopes?: readonly string[];
    readonly commandLists?: readonly {
      readonly scopes?: readonly string[];
      readonly commands?: readonly { readonly title: string; readonly description?: string }[];
    }[];
  }[];
  readonly staticTabs?: readonly { readonly entityId: string; readonly name?: string; readonly contentUrl?: string; readonly scopes?: readonly string[] }[];
  readonly validDomains?: readonly string[];
  readonly webApplicationInfo?: { readonly id?: string; readonly resource?: string };
}

/** The files a manifest references, relative to the manifest folder: icons, then localization files. */
export function referencedFiles(manifest: ManifestShape): string[] {
  const info = manifest.localizationInfo;
  const files = [manifest.icons?.color, manifest.icons?.outline, info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((l) => l.file)].filter(
    (f): f is string => typeof f === 'string' && f !== '',
  );
  return [...new Set(files)];
}

/** The localization files (default language first), relative to the manifest folder. */
export function localizationFiles(manifest: ManifestShape): string[] {
  const info = manifest.localizationInfo;
  return [info?.defaultLanguageFile, ...(info?.additionalLanguages ?? []).map((l) => l.file)].filter((f): f is string => !!f);
}

function safeEntryName(file: string): string | undefined {
  const name = posix.normalize(file.replace(/\\/g, '/'));
  return name && !name.startsWith('../') && name !== '..' && !posix.isAbsolute(name) ? name : undefined;
}

export interface BuiltPackage {
  readonly manifest: ManifestShape;
  readonly entries: readonly ZipEntry[];
}

/** Reads the sources, fills the placeholders and returns the package's entries (manifest.json first). Does not validate. */
export function assemblePackage(values: EnvValues, manifestDir: string = MANIFEST_DIR): BuiltPackage {
  const problems: string[] = [];
  const manifestText = fillPlaceholders(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), values, 'manifest/manifest.json');
  const manifest = JSON.parse(manifestText) as ManifestShape;
  const entries: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(manifestText, 'utf8') }];
  const localized = new Set(localizationFiles(manifest));
  for (const file of referencedFiles(manifest)) {
    const name = safeEntryName(file);
    const path = name ? join(manifestDir, name) : undefined;
    if (!name || !path || !existsSync(path)) {
      problems.push(`manifest.json references ${file}, which is not a file in manifest/`);
      continue;
    }
    const data = readFileSync(path);
    // The toolkit's teamsApp/zipAppPackage copies localization files as they are, so they may not use placeholders.
    const unfilled = localized.has(file) ? placeholdersIn(data.toString('utf8')) : [];
    if (unfilled.length)
      problems.push(`manifest/${name}: localization files are packaged as they are, without filling \${{VAR}} placeholders (${unfilled.join(', ')})`);
    entries.push({ name, data });
  }
  if (problems.length) throw new PackageError(problems);
  return { manifest, entries };
}

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: readonly AjvError[] | null;
}
interface AjvInstance {
  compile(schema: object): AjvValidate;
}
type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;

/** The bundled schemas' folder in @microsoft/app-manifest (its build/json-schemas). */
export function bundledSchemaPath(schemaUrl: string): string {
  const url = new URL(schemaUrl);
  const path = url.pathname.replace(/^\/[a-z]{2}(-[a-z]{2})?(?=\/json-schemas\/)/i, '');
  if (url.hostname !== 'developer.microsoft.com' || !path.startsWith('/json-schemas/teams/'))
    throw new PackageError([`$schema ${schemaUrl} is not one of Microsoft's Teams schemas`]);
  return join(dirname(require.resolve('@microsoft/app-manifest')), path);
}

function loadJson(path: string): object {
  // The bundled schemas contain \a and \v escapes, which JSON.parse rejects (the package cleans them the same way).
  return JSON.parse(readFileSync(path, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as object;
}

/**
 * The localization schema, compiled the way its draft-04 regexes need: ajv-draft-04 with
 * unicodeRegExp off (one pattern has a lone "]" that the unicode flag rejects). ajv-draft-04 and
 * ajv-formats are @microsoft/app-manifest's own dependencies, loaded from its location.
 */
let localizationValidators: Map<string, AjvValidate> | undefined;
function localizationValidator(manifestVersion: string): AjvValidate {
  localizationValidators ??= new Map();
  const cached = localizationValidators.get(manifestVersion);
  if (cached) return cached;
  const load = createRequire(require.resolve('@microsoft/app-manifest'));
  const Ajv = (load('ajv-draft-04') as { default: AjvConstructor }).default;
  const addFormats = load('ajv-formats') as (ajv: AjvInstance, formats: string[]) => void;
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const schemaPath = bundledSchemaPath(`https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.Localization.schema.json`);
  if (!existsSync(schemaPath)) throw new PackageError([`@microsoft/app-manifest has no localization schema for manifest version ${manifestVersion}`]);
  const validate = ajv.compile(loadJson(schemaPath));
  localizationValidators.set(manifestVersion, validate);
  return validate;
}

/** Validates a localization file against the bundled schema; returns the problems. */
export function validateLocalization(json: unknown, manifestVersion: string, source: string): string[] {
  const validate = localizationValidator(manifestVersion);
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${source}: ${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
}

/** Validates a filled manifest against the bundled schema its $schema names (never fetched). */
export async function validateManifestSchema(manifest: ManifestShape): Promise<string[]> {
  if (!manifest.$schema) return ['manifest.json: no $schema'];
  const schemaPath = bundledSchemaPath(manifest.$schema);
  if (!existsSync(schemaPath)) return [`manifest.json: @microsoft/app-manifest has no bundled schema for ${manifest.$schema}`];
  const schema = loadJson(schemaPath);
  const failures = await AppManifestUtils.validateAgainstSchema(
    manifest as unknown as AppManifest,
    schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
  return failures.map((f) => `manifest.json: ${f}`);
}

function pngProblems(name: string, data: Buffer, size: number, whiteOnly: boolean): string[] {
  let png: PNG;
  try {
    png = PNG.sync.read(data);
  } catch {
    return [`${name} is not a PNG`];
  }
  const problems: string[] = [];
  if (png.width !== size || png.height !== size) problems.push(`${name} is ${png.width}x${png.height}; Teams needs ${size}x${size}`);
  if (whiteOnly) {
    let opaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const alpha = png.data[i + 3] ?? 0;
      if (alpha > 0 && (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255)) {
        problems.push(`${name} must be white on transparent; pixel ${i / 4} is not white`);
        break;
      }
      if (alpha === 255) opaque++;
    }
    if (opaque === png.width * png.height) problems.push(`${name} has no transparent pixels`);
  }
  return problems;
}

/** Every check the package must pass: schemas, files, icons, SSO resource and domains. */
export async function validatePackage(built: BuiltPackage): Promise<string[]> {
  const { manifest, entries } = built;
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const problems = await validateManifestSchema(manifest);
  const version = manifest.manifestVersion ?? '';
  for (const file of localizationFiles(manifest)) {
    const data = byName.get(file);
    if (!data) continue;
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      problems.push(`${file} is not JSON`);
      continue;
    }
    problems.push(...validateLocalization(json, version, file));
  }
  // A click on a command in Teams' menu sends its title as the message: in each language the title is that language's
  // canonical word for the command (bot/words), which the bot reads in that language; a language it does not speak keeps English.
  const titles = new Map(
    (manifest.bots?.[0]?.commandLists ?? []).flatMap((list, l) =>
      (list.commands ?? []).map((c, i) => [`bots[0].commandLists[${l}].commands[${i}].title`, c.title] as const),
    ),
  );
  for (const { languageTag, file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const data = byName.get(file);
    let strings: Record<string, unknown> = {};
    try {
      strings = data ? (JSON.parse(data.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      continue; // reported above
    }
    const language = languageOf(languageTag);
    for (const [key, english] of titles) {
      const title = language === 'en' ? english : (PARSER_WORDS[language].commands[english as CommandKey]?.[0] ?? english);
      if (key in strings && strings[key] !== title)
        problems.push(
          `${file}: ${key} is "${String(strings[key])}"; in ${languageTag} it is "${title}", the word for that command the bot reads in ${languageTag}`,
        );
    }
  }
  for (const kind of ['color', 'outline'] as const) {
    const file = manifest.icons?.[kind];
    const data = file ? byName.get(file) : undefined;
    if (file && data) problems.push(...pngProblems(file, data, ICON_SIZES[kind], kind === 'outline'));
  }
  const leftovers = entries.filter((e) => e.name.endsWith('.json') && placeholdersIn(e.data.toString('utf8')).length);
  for (const e of leftovers) problems.push(`${e.name} still has placeholders: ${placeholdersIn(e.data.toString('utf8')).join(', ')}`);

  const tab = manifest.staticTabs?.find((t) => t.contentUrl);
  const domain = tab?.contentUrl ? new URL(tab.contentUrl).host : undefined;
  const sso = manifest.webApplicationInfo;
  if (!domain) problems.push('manifest.json: no static tab with a contentUrl (the personal tab)');
  if (!sso?.id || !GUID.test(sso.id)) problems.push('manifest.json: webApplicationInfo.id must be the Entra app (client) ID');
  if (domain && sso?.id && sso.resource !== `api://${domain}/botid-${sso.id}`) {
    problems.push(
      `manifest.json: webApplicationInfo.resource is ${sso.resource ?? '(none)'}; for a bot and a tab on ${domain} it must be api://${domain}/botid-${sso.id}`,
    );
  }
  for (const needed of [domain, BOT_FRAMEWORK_TOKEN_DOMAIN]) {
    if (needed && !manifest.validDomains?.includes(needed)) problems.push(`manifest.json: validDomains must include ${needed}`);
  }
  return problems;
}

/** Builds, validates and writes appPackage.<env>.zip (and the filled manifest.<env>.json beside it). */
export async function packageApp(options: {
  env: string;
  values?: EnvValues;
  outDir?: string;
  manifestDir?: string;
}): Promise<{ zipPath: string; entries: readonly ZipEntry[] }> {
  const values = options.values ?? loadEnv(options.env);
  const built = assemblePackage(values, options.manifestDir);
  const problems = await validatePackage(built);
  if (problems.length) throw new PackageError(problems);
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${options.env}.zip`);
  writeFileSync(zipPath, writeZip(built.entries));
  const manifestEntry = built.entries.find((e) => e.name === 'manifest.json');
  if (manifestEntry) writeFileSync(join(outDir, `manifest.${options.env}.json`), manifestEntry.data);
  return { zipPath, entries: built.entries };
}

function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(args: readonly string[]): Promise<number> {
  const env = argValue(args, '--env') ?? process.env.TEAMSFX_ENV ?? 'dev';
  const out = argValue(args, '--out');
  try {
    const { zipPath, entries } = await packageApp({ env, outDir: out ? resolve(out) : undefined });
    process.stdout.write(`wrote ${relative(process.cwd(), zipPath)}: ${entries.map((e) => e.name).join(', ')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof PackageError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`package failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
