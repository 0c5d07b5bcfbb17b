/**
 * The deployment pieces agree: the server's variables (server/config.ts ENV_VARS) are set by the
 * App Service settings (infra/azure.bicep) and the local runtime file (m365agents.local.yml), or
 * are documented as optional; the Entra app (aad.manifest.json) matches the Teams manifest and the
 * server's Application ID URI; the toolkit files run their actions in an order where every
 * ${{VAR}} has a value when it is needed; the storage account (infra/modules/storage.bicep) holds the
 * tables the server uses and lets only the managed identity in. No Bicep compiler runs here: these are
 * text checks.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { ENV_VARS, loadConfig, type ProductionConfig } from '../../server/config';
import { placeholdersIn, type ManifestShape } from '../../scripts/package-app';
import { ENVIRONMENTS, SAMPLE, actionsOf, bicepAppSettings, bicepOutputs, envFile, json, runtimeEnvsOf, sampleValue, readText, writtenBy } from './helpers';

type EnvVar = keyof typeof ENV_VARS;

const bicep = readText('infra/azure.bicep');
const localBicep = readText('infra/azure.local.bicep');
const botBicep = readText('infra/modules/bot.bicep');
const storageBicep = readText('infra/modules/storage.bicep');
const keyvaultBicep = readText('infra/modules/keyvault.bicep');
const monitoringBicep = readText('infra/modules/monitoring.bicep');
const yml = { dev: readText('m365agents.yml'), local: readText('m365agents.local.yml') } as const;
const docs = readText('docs/deploy.md');
const manifestText = readText('manifest/manifest.json');
const manifest = JSON.parse(manifestText) as ManifestShape;
const aadText = readText('aad.manifest.json');
const aad = JSON.parse(aadText) as {
  appId: string;
  displayName: string;
  identifierUris: string[];
  signInAudience: string;
  api: {
    requestedAccessTokenVersion: number;
    oauth2PermissionScopes: { id: string; value: string; type: string; isEnabled: boolean }[];
    preAuthorizedApplications: { appId: string; delegatedPermissionIds: string[] }[];
  };
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
  web: { redirectUris: string[] };
  spa: { redirectUris: string[] };
};

/** Variables the server reads but neither place sets, on purpose; docs/deploy.md must describe each. */
const DEFAULTED_IN_AZURE: Readonly<Partial<Record<EnvVar, string>>> = {
  BOT_PASSWORD: 'the App Service uses its managed identity (MANAGED_IDENTITY_CLIENT_ID), no secret',
  PORT: 'App Service sets PORT for the container',
  HOST: '0.0.0.0 in production by default',
  ALLOWED_TENANTS: 'BOT_TYPE=SingleTenant already limits users to BOT_TENANT_ID',
  AUTHORITY_HOST: 'public cloud default',
  GRAPH_BASE_URL: 'Graph v1.0 default',
  TOKEN_CACHE_SIZE: 'default 10000',
  AZURE_STORAGE_CONNECTION_STRING: 'no account keys (allowSharedKeyAccess: false): the managed identity reaches AZURE_STORAGE_TABLE_URL',
  AZURE_STORAGE_TABLE_PREFIX: 'default presence: the tables infra/modules/storage.bicep creates',
};
const DEFAULTED_LOCALLY: Readonly<Partial<Record<EnvVar, string>>> = {
  MANAGED_IDENTITY_CLIENT_ID: 'a managed identity cannot sign in from a laptop: BOT_PASSWORD instead',
  ALLOWED_TENANTS: 'SingleTenant',
  AUTHORITY_HOST: 'default',
  GRAPH_BASE_URL: 'default',
  TOKEN_CACHE_SIZE: 'default',
  AZURE_STORAGE_TABLE_URL: 'needs a managed identity: Azurite by AZURE_STORAGE_CONNECTION_STRING instead',
  AZURE_STORAGE_TABLE_PREFIX: 'default',
  TOKEN_KEY_ID: 'the Key Vault key needs the managed identity: locally no refresh token is kept (sessions end at 4 hours, nothing planned)',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'a local run sends no telemetry unless a developer sets it',
};
/** App settings for the platform, not the server. */
const PLATFORM_SETTINGS = new Set(['WEBSITE_RUN_FROM_PACKAGE', 'SCM_DO_BUILD_DURING_DEPLOYMENT', 'NODE_ENV']);

function sandboxOnly(name: string): boolean {
  const description = (ENV_VARS as Record<string, string>)[name] ?? '';
  return name.startsWith('SANDBOX_') || /^sandbox mode only/i.test(description);
}

/** The storage account's table endpoint as Azure reports it (primaryEndpoints.table ends with a slash). */
const SAMPLE_TABLE_ENDPOINT = 'https://presenceabc12345.table.core.windows.net/';

/** Values for the Bicep expressions the app settings use, as a deployment would resolve them. */
const BICEP_VALUES: Readonly<Record<string, string>> = {
  aadAppClientId: SAMPLE.AAD_APP_CLIENT_ID,
  'identity.properties.clientId': SAMPLE.BOT_ID,
  tenantId: SAMPLE.AAD_APP_TENANT_ID,
  botDomain: SAMPLE.BOT_DOMAIN,
  oauthConnectionName: 'graph',
  logLevel: 'info',
  'storage.outputs.tableEndpoint': SAMPLE_TABLE_ENDPOINT,
  'keyvault.outputs.keyId': 'https://presence-abc12345-kv.vault.azure.net/keys/refresh-token-wrap',
  'monitoring.outputs.connectionString':
    'InstrumentationKey=0f0e0d0c-0b0a-4908-8706-050403020100;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/',
};

/** A top-level resource or module of a template, from its declaration to its closing brace. */
function bicepBlock(template: string, kind: 'resource' | 'module', type: string): string {
  const start = template.search(new RegExp(`^${kind} \\w+ '${type.replace(/[./]/g, '\\$&')}(@[^']+)?' = `, 'm'));
  assert.ok(start >= 0, `no ${kind} ${type}`);
  const end = template.indexOf('\n}', start);
  return template.slice(start, end + 2);
}

/** The string items of a `var name = [ ... ]` array (one quoted item a line, comments allowed). */
function bicepStringArray(template: string, name: string): string[] {
  const body = new RegExp(`^var ${name} = \\[\\n([\\s\\S]*?)\\n\\]`, 'm').exec(template)?.[1] ?? '';
  return [...body.matchAll(/^\s+'([^']*)'/gm)].map((m) => m[1] ?? '');
}

/** The values a parameter's @allowed([...]) decorator lists. */
function bicepAllowed(template: string, param: string): string[] {
  const list = new RegExp(`@allowed\\(\\[\\n([^\\]]*)\\]\\)\\n(?:@.*\\n)*param ${param} `).exec(template)?.[1] ?? '';
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
}

/** The Bicep app settings resolved as a deployment would: the App Service's environment. */
function appServiceEnv(settings: ReadonlyMap<string, string>): Record<string, string> {
  const env: Record<string, string> = { WEBSITE_SITE_NAME: 'presence', WEBSITE_INSTANCE_ID: 'x', PORT: '8080' };
  for (const [name, expression] of settings) env[name] = resolveBicep(expression);
  return env;
}

/** A valid production environment (as in Azure), to which one more variable can be added. */
function productionEnv(): Record<string, string> {
  return appServiceEnv(bicepAppSettings(bicep));
}

function resolveBicep(expression: string): string {
  const literal = /^'([^']*)'$/.exec(expression);
  if (literal) return literal[1] ?? '';
  const value = BICEP_VALUES[expression];
  assert.ok(value !== undefined, `no sample value for the Bicep expression ${expression}`);
  return value;
}

describe('deployment: the pieces agree', () => {
  describe("the server's variables (server/config.ts ENV_VARS)", () => {
    const settings = bicepAppSettings(bicep);
    const localEnvs = runtimeEnvsOf(yml.local);

    it('every one is set by the App Service settings, or has a documented default there, or is sandbox-only', () => {
      assert.ok(settings.size > 0, 'found the appsettings block in infra/azure.bicep');
      for (const name of Object.keys(ENV_VARS)) {
        if (sandboxOnly(name)) continue;
        assert.ok(
          settings.has(name) || name in DEFAULTED_IN_AZURE,
          `${name} is read by the server but infra/azure.bicep does not set it: add it to the app settings, or list it as defaulted (with docs/deploy.md saying so)`,
        );
      }
    });

    it('every one is set by the local runtime file (.localConfigs), or defaults sensibly there, or is sandbox-only', () => {
      assert.ok(Object.keys(localEnvs).length > 0, 'found file/createOrUpdateEnvironmentFile envs in m365agents.local.yml');
      for (const name of Object.keys(ENV_VARS)) {
        if (sandboxOnly(name)) continue;
        assert.ok(name in localEnvs || name in DEFAULTED_LOCALLY, `${name} is read by the server but m365agents.local.yml does not write it to .localConfigs`);
      }
    });

    it('docs/deploy.md names every variable, and why the defaulted ones are left alone', () => {
      for (const name of Object.keys(ENV_VARS)) if (!sandboxOnly(name)) assert.ok(docs.includes(`\`${name}\``), `docs/deploy.md does not mention ${name}`);
    });

    it('nothing sandbox-only, no secret and no unknown name is set in Azure or locally', () => {
      for (const name of settings.keys()) {
        assert.ok(PLATFORM_SETTINGS.has(name) || name in ENV_VARS, `app setting ${name} is not a variable the server reads`);
        assert.ok(!sandboxOnly(name), `${name} is sandbox-only`);
        assert.notEqual(name, 'BOT_PASSWORD');
      }
      for (const name of Object.keys(localEnvs)) {
        assert.ok(name in ENV_VARS, `.localConfigs variable ${name} is not one the server reads`);
        assert.ok(!sandboxOnly(name), `${name} is sandbox-only`);
      }
      assert.ok(![...settings.values()].some((v) => /secret/i.test(v)), 'no secret in app settings');
    });

    it('what these tests call sandbox-only, the server refuses in production mode', () => {
      const names = Object.keys(ENV_VARS).filter(sandboxOnly);
      assert.ok(names.includes('STORAGE') && names.includes('SANDBOX_DATA_DIR') && names.includes('SANDBOX_URL'));
      for (const name of names) {
        assert.throws(
          () => loadConfig({ ...productionEnv(), [name]: 'x' }),
          (err: Error) => new RegExp(`\\b${name}\\b`).test(err.message),
          `${name} with production credentials`,
        );
      }
      for (const name of ['AZURE_STORAGE_TABLE_URL', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_TABLE_PREFIX']) assert.ok(!sandboxOnly(name), name);
    });

    it('the App Service settings make a valid production configuration with a managed identity and no secret', () => {
      const config = loadConfig(appServiceEnv(settings)) as ProductionConfig;
      assert.equal(config.mode, 'production');
      assert.deepEqual(config.credential, { kind: 'managedIdentity', clientId: SAMPLE.BOT_ID });
      assert.equal(config.appId, SAMPLE.AAD_APP_CLIENT_ID);
      assert.equal(config.appType, 'SingleTenant');
      assert.equal(config.tenantId, SAMPLE.AAD_APP_TENANT_ID, 'a UserAssignedMSI bot needs its tenant');
      assert.deepEqual(config.allowedTenants, [SAMPLE.AAD_APP_TENANT_ID]);
      assert.equal(config.host, '0.0.0.0');
      assert.equal(config.port, 8080);
      assert.equal(config.applicationIdUri, `api://${SAMPLE.BOT_DOMAIN}/botid-${SAMPLE.AAD_APP_CLIENT_ID}`);
      assert.deepEqual(
        config.storage,
        { kind: 'tableUrl', url: SAMPLE_TABLE_ENDPOINT.replace(/\/$/, ''), tablePrefix: 'presence' },
        'the tables, through the managed identity',
      );
    });

    it("the local runtime file makes a valid production configuration with the Entra app's secret", () => {
      const values = Object.fromEntries(
        Object.entries(localEnvs).map(([k, v]) => [
          k,
          v.replace(/\$\{\{(\w+)\}\}/g, (_, n: string) => (n === 'SECRET_AAD_APP_CLIENT_SECRET' ? 'local-secret' : sampleValue(n))),
        ]),
      );
      const config = loadConfig(values) as ProductionConfig;
      assert.equal(config.mode, 'production');
      assert.deepEqual(config.credential, { kind: 'secret', secret: 'local-secret' });
      assert.equal(config.appId, SAMPLE.AAD_APP_CLIENT_ID);
      assert.equal(config.host, '127.0.0.1');
      assert.equal(config.oauthConnectionName, sampleValue('OAUTH_CONNECTION_NAME'));
      // Azurite's table service on 127.0.0.1:10002 (docs/deploy.md, local debugging).
      assert.deepEqual(config.storage, { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true', tablePrefix: 'presence' });
    });
  });

  describe('the Entra app (aad.manifest.json)', () => {
    it("its identifier URI is the manifest's webApplicationInfo.resource, and its appId the manifest's SSO app", () => {
      assert.deepEqual(aad.identifierUris, [manifest.webApplicationInfo?.resource]);
      assert.equal(aad.appId, manifest.webApplicationInfo?.id);
      assert.equal(aad.appId, '${{AAD_APP_CLIENT_ID}}');
    });

    it('issues v2 tokens for its access_as_user scope', () => {
      assert.equal(aad.api.requestedAccessTokenVersion, 2);
      assert.deepEqual(
        aad.api.oauth2PermissionScopes.map((s) => [s.value, s.id, s.type, s.isEnabled]),
        [['access_as_user', '${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}', 'User', true]],
      );
    });

    it('pre-authorizes exactly the Teams, Microsoft 365 and Outlook clients Microsoft lists, for that scope', () => {
      // learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-register-aad
      const clients = [
        '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
        '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
        '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
        '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
        'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
        'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
        '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
      ];
      assert.deepEqual(aad.api.preAuthorizedApplications.map((a) => a.appId).sort(), [...clients].sort());
      for (const app of aad.api.preAuthorizedApplications) assert.deepEqual(app.delegatedPermissionIds, ['${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}']);
    });

    it('asks for delegated Microsoft Graph Presence.ReadWrite, User.Read and offline_access (the timers), no application permission', () => {
      const graph = aad.requiredResourceAccess.find((r) => r.resourceAppId === '00000003-0000-0000-c000-000000000000');
      assert.deepEqual(graph?.resourceAccess, [
        { id: '8d3c54a7-cf58-4773-bf81-c0cd6ad522bb', type: 'Scope' }, // Presence.ReadWrite
        { id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'Scope' }, // User.Read
        { id: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182', type: 'Scope' }, // offline_access
      ]);
      assert.equal(aad.requiredResourceAccess.length, 1);
    });

    it("redirects to the tab's auth-end page (SPA, PKCE) and to the Bot Framework token service (the sign-in card)", () => {
      assert.deepEqual(aad.spa.redirectUris, ['https://${{BOT_DOMAIN}}/tab/auth-end.html']);
      assert.deepEqual(aad.web.redirectUris, ['https://token.botframework.com/.auth/web/redirect']);
    });

    it('is single-tenant, named as aadApp/create names it', () => {
      assert.equal(aad.signInAudience, 'AzureADMyOrg');
      for (const env of ENVIRONMENTS) {
        assert.match(yml[env], new RegExp(`uses: aadApp/create\\n\\s+with:\\n\\s+name: ${aad.displayName.replace(/[$.{}]/g, '\\$&')}\\n`));
        assert.match(yml[env], /signInAudience: AzureADMyOrg/);
      }
    });
  });

  describe('Azure (infra/*.bicep)', () => {
    const MODULES = { bot: botBicep, storage: storageBicep, keyvault: keyvaultBicep, monitoring: monitoringBicep } as const;
    const USES = [
      ['infra/azure.bicep', bicep, ['bot', 'storage', 'keyvault', 'monitoring']],
      ['infra/azure.local.bicep', localBicep, ['bot']],
    ] as const;

    for (const [file, template, modules] of USES)
      for (const module of modules) {
        it(`${file} passes the ${module} module exactly the parameters it declares`, () => {
          const moduleText = MODULES[module];
          const moduleParams = new Set([...moduleText.matchAll(/^param (\w+) /gm)].map((m) => m[1]));
          const requiredModuleParams = [...moduleText.matchAll(/^param (\w+) \w+$/gm)].map((m) => m[1]);
          const block = new RegExp(`module ${module} 'modules/${module}\\.bicep' = \\{[\\s\\S]*?params: \\{([\\s\\S]*?)\\n {2}\\}`).exec(template)?.[1] ?? '';
          const passed = [...block.matchAll(/^\s+(\w+): /gm)].map((m) => m[1]);
          assert.ok(passed.length > 0, `${file} uses modules/${module}.bicep`);
          for (const p of passed) assert.ok(moduleParams.has(p), `${file}: ${module} module has no parameter ${p}`);
          for (const p of requiredModuleParams) assert.ok(passed.includes(p), `${file}: ${module} module parameter ${p} is required`);
        });
      }

    for (const [file, template] of [
      ['infra/azure.bicep', bicep],
      ['infra/azure.local.bicep', localBicep],
    ] as const) {
      it(`${file}: its parameters file sets declared parameters, all required ones, secrets only through @secure() and SECRET_ variables`, () => {
        const params = json<{ parameters: Record<string, { value: string }> }>(file.replace('.bicep', '.parameters.json')).parameters;
        const declared = new Map(
          [...template.matchAll(/^((?:@\w+\([^)]*\)\n)*)param (\w+) (\w+)( = .+)?$/gm)].map((m) => [
            m[2] ?? '',
            { decorators: m[1] ?? '', hasDefault: !!m[4] },
          ]),
        );
        for (const name of Object.keys(params)) assert.ok(declared.has(name), `${name} is not a parameter of ${file}`);
        for (const [name, { hasDefault }] of declared) if (!hasDefault) assert.ok(name in params, `${file}: required parameter ${name} is not set`);
        for (const [name, { value }] of Object.entries(params)) {
          const secret = placeholdersIn(value).some((v) => v.startsWith('SECRET_'));
          assert.equal(secret, /@secure\(\)/.test(declared.get(name)?.decorators ?? ''), `${file}: ${name}: a SECRET_ value needs @secure(), and only it`);
        }
      });
    }

    it('the bot is the managed identity (no bot secret) and the Teams SSO connection uses the Application ID URI', () => {
      assert.match(bicep, /msaAppType: 'UserAssignedMSI'\n\s+msaAppId: identity\.properties\.clientId\n\s+msaAppMSIResourceId: identity\.id/);
      assert.match(bicep, /var applicationIdUri = 'api:\/\/\$\{botDomain\}\/botid-\$\{aadAppClientId\}'/);
      assert.match(bicep, /applicationIdUri: applicationIdUri/);
      assert.match(localBicep, /applicationIdUri: 'api:\/\/\$\{botDomain\}\/botid-\$\{aadAppClientId\}'/);
      assert.match(botBicep, /key: 'tokenExchangeUrl'\n\s+value: applicationIdUri/);
      assert.match(botBicep, /scopes: '[^']*\$\{applicationIdUri\}\/access_as_user'/);
      assert.match(botBicep, /channelName: 'MsTeamsChannel'/);
      assert.match(botBicep, /@secure\(\)\nparam ssoClientSecret string/);
    });

    it('the App Service is Linux, Node 20, health-checked on /healthz, and runs the built server', () => {
      assert.match(bicep, /kind: 'app,linux'/);
      assert.match(bicep, /reserved: true/);
      assert.match(bicep, /linuxFxVersion: 'NODE\|20-lts'/);
      assert.match(bicep, /healthCheckPath: '\/healthz'/);
      assert.match(bicep, /appCommandLine: 'node [^']*dist\/server\/main\.js'/);
      assert.match(bicep, /httpsOnly: true/);
    });

    describe('the storage account (infra/modules/storage.bicep)', () => {
      const account = bicepBlock(storageBicep, 'resource', 'Microsoft.Storage/storageAccounts');
      const storageModule = bicepBlock(bicep, 'module', 'modules/storage.bicep');

      it('takes Entra ID tokens only (no shared key, so no account key or connection string exists to leak), over HTTPS with TLS 1.2', () => {
        assert.match(account, /kind: 'StorageV2'/);
        assert.match(account, /allowSharedKeyAccess: false/);
        assert.match(account, /defaultToOAuthAuthentication: true/);
        assert.match(account, /minimumTlsVersion: 'TLS1_2'/);
        assert.match(account, /supportsHttpsTrafficOnly: true/);
        assert.match(account, /allowBlobPublicAccess: false/);
        for (const [file, template] of [
          ['infra/azure.bicep', bicep],
          ['infra/modules/storage.bicep', storageBicep],
        ] as const) {
          assert.doesNotMatch(template, /listKeys|listAccountSas|AccountKey=/, `${file} reads no account key`);
        }
        assert.ok(!bicepAppSettings(bicep).has('AZURE_STORAGE_CONNECTION_STRING'), 'no connection string in the App Service');
      });

      it("is named within Azure's rules (3-24 lowercase letters and digits) for any resource suffix", () => {
        assert.match(bicep, /^var storageAccountName = take\(replace\('presence\$\{suffix\}', '-', ''\), 24\)$/m);
        assert.match(storageModule, /^\s+name: storageAccountName$/m);
        const maxSuffix = Number(/@maxLength\((\d+)\)\nparam resourceSuffix /.exec(bicep)?.[1]);
        for (const suffix of ['abc12345', 'dev', 'a'.repeat(maxSuffix), 'my-team']) {
          const name = `presence${suffix}`.replace(/-/g, '').slice(0, 24);
          assert.match(name, /^[a-z0-9]{3,24}$/, suffix);
        }
      });

      it('holds the three tables the server uses, with the names it gives them (AZURE_STORAGE_TABLE_PREFIX left at its default)', () => {
        const prefix = (loadConfig(productionEnv()) as ProductionConfig).storage;
        assert.ok(prefix.kind === 'tableUrl');
        const names = [`${prefix.tablePrefix}users`, `${prefix.tablePrefix}transient`, `${prefix.tablePrefix}jobs`];
        assert.deepEqual(names, ['presenceusers', 'presencetransient', 'presencejobs']);
        assert.deepEqual(bicepStringArray(storageBicep, 'tableNames'), names);
        for (const name of names) assert.ok(ENV_VARS.AZURE_STORAGE_TABLE_PREFIX.includes(name), `server/config.ts says the server uses the table ${name}`);
        const tables = bicepBlock(storageBicep, 'resource', 'Microsoft.Storage/storageAccounts/tableServices/tables');
        assert.match(tables, /= \[for tableName in tableNames: \{\n\s+parent: tableService\n\s+name: tableName\n/);
        const service = bicepBlock(storageBicep, 'resource', 'Microsoft.Storage/storageAccounts/tableServices');
        assert.match(service, /resource tableService /);
        assert.match(service, /parent: account\n\s+name: 'default'/);
      });

      it("gives the App Service's managed identity Storage Table Data Contributor on the account, and nothing wider", () => {
        const assignment = bicepBlock(storageBicep, 'resource', 'Microsoft.Authorization/roleAssignments');
        assert.match(storageBicep, /^var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'$/m); // built-in role ID
        assert.match(assignment, /roleDefinitionId: subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', tableDataContributorRoleId\)/);
        assert.match(assignment, /^\s+scope: account$/m);
        assert.match(
          assignment,
          /name: guid\(account\.id, principalId, tableDataContributorRoleId\)/,
          'a deterministic name: provisioning again finds the same assignment',
        );
        assert.match(assignment, /principalId: principalId\n\s+principalType: 'ServicePrincipal'/);
        assert.equal([...storageBicep.matchAll(/'Microsoft\.Authorization\/roleAssignments@/g)].length, 1, 'one role assignment');
        assert.doesNotMatch(bicep, /roleAssignments/, 'no role assignment at the resource group');
        // The identity that gets the role is the one the site runs as and the server signs in with.
        assert.match(storageModule, /^\s+principalId: identity\.properties\.principalId$/m);
        assert.match(bicep, /userAssignedIdentities: \{\n\s+'\$\{identity\.id\}': \{\}/);
        assert.equal(bicepAppSettings(bicep).get('MANAGED_IDENTITY_CLIENT_ID'), 'identity.properties.clientId');
      });

      it("the App Service gets AZURE_STORAGE_TABLE_URL from the account's table endpoint", () => {
        assert.equal(bicepAppSettings(bicep).get('AZURE_STORAGE_TABLE_URL'), 'storage.outputs.tableEndpoint');
        const outputs = bicepOutputs(storageBicep);
        assert.equal(outputs.get('tableEndpoint'), 'account.properties.primaryEndpoints.table');
        assert.equal(outputs.get('accountName'), 'account.name');
        assert.equal(bicepOutputs(bicep).get('AZURE_STORAGE_TABLE_URL'), 'storage.outputs.tableEndpoint');
        assert.equal(bicepOutputs(bicep).get('AZURE_STORAGE_ACCOUNT_NAME'), 'storage.outputs.accountName');
      });

      it('its redundancy is a parameter: locally redundant by default, zone-redundant on request', () => {
        assert.deepEqual(bicepAllowed(bicep, 'storageSku'), bicepAllowed(storageBicep, 'sku'));
        assert.ok(bicepAllowed(bicep, 'storageSku').includes('Standard_ZRS'));
        assert.match(bicep, /^param storageSku string = 'Standard_LRS'$/m);
        assert.match(storageModule, /^\s+sku: storageSku$/m);
        assert.equal(envFile('dev').STORAGE_SKU, 'Standard_LRS');
        assert.ok(bicepAllowed(bicep, 'storageSku').includes(envFile('dev').STORAGE_SKU ?? ''));
      });

      it("docs/deploy.md describes it: the tables, the role, no keys, and how to delete a user's records", () => {
        for (const needle of [
          '`presenceusers`',
          '`presencetransient`',
          'Storage Table Data Contributor',
          'allowSharedKeyAccess: false',
          '`forget me`',
          '{tenantId}_{userId}',
          '--auth-mode login',
          'UseDevelopmentStorage=true',
          'azurite-table',
        ]) {
          assert.ok(docs.includes(needle), `docs/deploy.md mentions ${needle}`);
        }
      });
    });

    it('its outputs feed the manifest (BOT_ID, BOT_DOMAIN), the deploy (the App Service) and the federated credential', () => {
      const outputs = bicepOutputs(bicep);
      assert.equal(outputs.get('BOT_ID'), 'identity.properties.clientId');
      assert.equal(outputs.get('BOT_DOMAIN'), 'botDomain');
      assert.equal(outputs.get('BOT_AZURE_APP_SERVICE_RESOURCE_ID'), 'site.id');
      assert.equal(outputs.get('MANAGED_IDENTITY_PRINCIPAL_ID'), 'identity.properties.principalId');
      const dev = envFile('dev');
      for (const name of outputs.keys()) assert.ok(name in dev, `env/.env.dev lists ${name}`);
      const local = envFile('local');
      for (const name of bicepOutputs(localBicep).keys()) assert.ok(name in local, `env/.env.local lists ${name}`);
    });

    it('the zip deploy keeps what the server needs', () => {
      const ignored = readText('infra/webapp.ignore')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      for (const needed of ['dist/', 'node_modules/', 'package.json', 'tab/'])
        assert.ok(!ignored.some((p) => needed.startsWith(p) || p === needed), `${needed} must be deployed`);
      assert.ok(ignored.includes('env/') && ignored.includes('.localConfigs'), 'environment files stay home');
    });
  });

  describe('the Agents Toolkit files', () => {
    const KNOWN_ACTIONS = new Set([
      'aadApp/create',
      'aadApp/update',
      'botAadApp/create',
      'botFramework/create',
      'arm/deploy',
      'teamsApp/create',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
      'teamsApp/publishAppPackage',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
      'file/createOrUpdateEnvironmentFile',
      'script',
    ]);

    it("m365agents.yml provisions, deploys and publishes in the toolkit's order", () => {
      assert.deepEqual(actionsOf(yml.dev, 'provision'), [
        'aadApp/create',
        'teamsApp/create',
        'arm/deploy',
        'aadApp/update',
        'script',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/validateAppPackage',
        'teamsApp/update',
      ]);
      assert.deepEqual(actionsOf(yml.dev, 'deploy'), ['cli/runNpmCommand', 'cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
      assert.match(yml.dev, /args: prune --omit=dev/, 'the package carries no development dependencies (432 of the 611 MB of node_modules, measured)');
      assert.deepEqual(actionsOf(yml.dev, 'publish'), [
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/validateAppPackage',
        'teamsApp/update',
        'teamsApp/publishAppPackage',
      ]);
      assert.match(
        yml.dev,
        /run: npx --no-install tsx scripts\/federated-credential\.ts --app-object-id \$\{\{AAD_APP_OBJECT_ID\}\} --tenant-id \$\{\{AAD_APP_TENANT_ID\}\} --principal-id \$\{\{MANAGED_IDENTITY_PRINCIPAL_ID\}\}/,
      );
    });

    it('m365agents.local.yml provisions the same app against a dev tunnel and writes .localConfigs', () => {
      assert.deepEqual(actionsOf(yml.local, 'provision'), [
        'aadApp/create',
        'script',
        'teamsApp/create',
        'arm/deploy',
        'aadApp/update',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/validateAppPackage',
        'teamsApp/update',
      ]);
      assert.deepEqual(actionsOf(yml.local, 'deploy'), ['cli/runNpmCommand', 'cli/runNpmCommand', 'file/createOrUpdateEnvironmentFile']);
      assert.match(yml.local, /target: \.\/\.localConfigs/);
    });

    for (const env of ENVIRONMENTS) {
      it(`${env}: only known actions, the package paths npm run package uses, and the repository's files`, () => {
        for (const stage of ['provision', 'deploy', 'publish'] as const)
          for (const action of actionsOf(yml[env], stage)) assert.ok(KNOWN_ACTIONS.has(action), action);
        assert.ok(!yml[env].includes('manifestPath: ./appPackage/manifest.json'));
        for (const m of yml[env].matchAll(/manifestPath: (\S+)/g)) assert.ok(['./manifest/manifest.json', './aad.manifest.json'].includes(m[1] ?? ''), m[1]);
        for (const m of yml[env].matchAll(/appPackagePath: (\S+)/g)) assert.equal(m[1], './appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip');
        for (const m of yml[env].matchAll(/- path: (\S+)\n\s+parameters: (\S+)/g)) {
          assert.ok(readdirSync('infra').includes((m[1] ?? '').replace('./infra/', '')), m[1]);
          assert.ok(readdirSync('infra').includes((m[2] ?? '').replace('./infra/', '')), m[2]);
        }
      });

      it(`${env}: every \${{VAR}} has a value by the time its action runs`, () => {
        const committed = envFile(env);
        // Asked for, or derived, on first provision; or set by hand before it (the tunnel, locally).
        const supplied = new Set([
          'AZURE_SUBSCRIPTION_ID',
          'AZURE_RESOURCE_GROUP_NAME',
          'RESOURCE_SUFFIX',
          ...(env === 'local' ? ['BOT_DOMAIN', 'BOT_ENDPOINT'] : []),
        ]);
        const available = new Set([
          ...Object.entries(committed)
            .filter(([, v]) => v !== '')
            .map(([k]) => k),
          ...supplied,
        ]);
        const lines = yml[env].split('\n');
        const blocks: { stage: string; text: string }[] = [];
        let stage = '';
        for (const line of lines) {
          const top = /^(provision|deploy|publish):/.exec(line);
          if (top) stage = top[1] ?? '';
          if (/^\s+- uses: /.test(line)) blocks.push({ stage, text: '' });
          const last = blocks[blocks.length - 1];
          if (last && !/^\S/.test(line)) last.text += `${line}\n`;
        }
        const manifestPlaceholders = placeholdersIn(manifestText);
        for (const { stage: s, text: block } of blocks) {
          const action = /- uses: (\S+)/.exec(block)?.[1] ?? '';
          const needed = placeholdersIn(block.replace(/^\s*#.*$/gm, ''));
          if (action.startsWith('teamsApp/') && action !== 'teamsApp/create') needed.push(...manifestPlaceholders);
          if (action === 'aadApp/update') {
            available.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID'); // generated by aadApp/update when empty
            needed.push(...placeholdersIn(aadText));
          }
          if (action === 'arm/deploy') for (const m of block.matchAll(/parameters: \.\/(\S+)/g)) needed.push(...placeholdersIn(readText(m[1] ?? '')));
          const missing = needed.filter((n) => n !== 'TEAMSFX_ENV' && !available.has(n));
          assert.deepEqual([...new Set(missing)], [], `${env} ${s}: ${action} needs ${[...new Set(missing)].join(', ')} before anything sets it`);
          for (const name of writtenBy(block)) available.add(name);
          if (action === 'arm/deploy')
            for (const m of block.matchAll(/- path: \.\/(\S+)/g)) for (const name of bicepOutputs(readText(m[1] ?? '')).keys()) available.add(name);
        }
        for (const name of writtenBy(yml[env]))
          if (!name.startsWith('SECRET_') && name !== 'TEAMS_APP_PUBLISHED_APP_ID') assert.ok(name in committed, `env/.env.${env} lists ${name}`);
      });
    }

    it('secrets stay out of git: env/*.user is ignored, and no committed file holds a SECRET_ value', () => {
      assert.match(readText('.gitignore'), /^\.env\.\*\.user$/m);
      for (const env of ENVIRONMENTS) for (const name of Object.keys(envFile(env))) assert.ok(!name.startsWith('SECRET_'), name);
    });
  });
});
