/**
 * npm run package (scripts/package-app.ts): placeholders filled from the env files, validation,
 * and the zip (manifest, icons, localization files), read back with scripts/zip.ts.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_DIR, PackageError, loadEnv, packageApp, parseEnvFile, placeholdersIn } from '../../scripts/package-app';
import { readZip, writeZip } from '../../scripts/zip';
import { SAMPLE, sampleValues, readText } from './helpers';

const values = sampleValues(readText('manifest/manifest.json'));

async function rejection(promise: Promise<unknown>): Promise<PackageError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PackageError) return err;
    throw err;
  }
  assert.fail('expected a PackageError');
}

describe('app package (scripts/package-app.ts)', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'presence-package-'));
  });
  afterEach(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('writes appPackage.<env>.zip with the filled manifest, both icons and the three languages, each validated', async () => {
    const { zipPath } = await packageApp({ env: 'test', values, outDir: out });
    assert.equal(zipPath, join(out, 'appPackage.test.zip'));
    const entries = readZip(readFileSync(zipPath));
    assert.deepEqual(
      entries.map((e) => e.name),
      ['manifest.json', 'color.png', 'outline.png', 'pt-BR.json', 'ja.json', 'ru.json'],
    );
    const byName = new Map(entries.map((e) => [e.name, e.data]));
    const manifest = byName.get('manifest.json')?.toString('utf8') ?? '';
    assert.deepEqual(placeholdersIn(manifest), []);
    const parsed = JSON.parse(manifest) as {
      id: string;
      bots: { botId: string }[];
      webApplicationInfo: { id: string; resource: string };
      validDomains: string[];
    };
    assert.equal(parsed.id, SAMPLE.TEAMS_APP_ID);
    assert.equal(parsed.bots[0]?.botId, SAMPLE.BOT_ID);
    assert.deepEqual(parsed.webApplicationInfo, { id: SAMPLE.AAD_APP_CLIENT_ID, resource: `api://${SAMPLE.BOT_DOMAIN}/botid-${SAMPLE.AAD_APP_CLIENT_ID}` });
    assert.deepEqual(parsed.validDomains, [SAMPLE.BOT_DOMAIN, 'token.botframework.com']);
    assert.ok(byName.get('color.png')?.equals(readFileSync(join(MANIFEST_DIR, 'color.png'))));
    assert.ok(byName.get('outline.png')?.equals(readFileSync(join(MANIFEST_DIR, 'outline.png'))));
    assert.ok(existsSync(join(out, 'manifest.test.json')), 'the filled manifest beside the zip, for inspection');
  });

  it('is reproducible: the same inputs give the same bytes', async () => {
    const first = readFileSync((await packageApp({ env: 'a', values, outDir: out })).zipPath);
    const second = readFileSync((await packageApp({ env: 'b', values, outDir: out })).zipPath);
    assert.ok(first.equals(second));
  });

  it('refuses a placeholder without a value, naming it, and writes nothing', async () => {
    const rest: Record<string, string> = { ...values };
    delete rest.BOT_DOMAIN;
    const err = await rejection(packageApp({ env: 'test', values: rest, outDir: out }));
    assert.match(err.message, /\$\{\{BOT_DOMAIN\}\} has no value/);
    assert.ok(!existsSync(join(out, 'appPackage.test.zip')));
  });

  it('refuses values the schema or the SSO rules reject', async () => {
    const badId = await rejection(packageApp({ env: 'test', values: { ...values, AAD_APP_CLIENT_ID: 'not-a-guid' }, outDir: out }));
    assert.match(badId.message, /webApplicationInfo/);
    const badUrl = await rejection(packageApp({ env: 'test', values: { ...values, DEVELOPER_PRIVACY_URL: 'privacy.html' }, outDir: out }));
    assert.match(badUrl.message, /privacyUrl/);
  });

  describe('another language', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'presence-manifest-'));
      cpSync(MANIFEST_DIR, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { localizationInfo: Record<string, unknown> };
      manifest.localizationInfo.additionalLanguages = [{ languageTag: 'fr', file: 'fr.json' }];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function writeFrench(change: (strings: Record<string, string>) => void): void {
      const strings = JSON.parse(readFileSync(join(dir, 'localization.template.json'), 'utf8')) as Record<string, string>;
      strings['name.full'] = 'Présence Teams : votre propre statut';
      strings['description.short'] = 'Définissez votre statut Teams pour la durée voulue : dnd 8h, busy until 5pm.';
      strings['bots[0].commandLists[0].commands[0].description'] = 'Ne pas déranger, p. ex. dnd 8h';
      change(strings);
      writeFileSync(join(dir, 'fr.json'), JSON.stringify(strings, null, 2));
    }

    it('is packaged and validated like English once listed in localizationInfo', async () => {
      writeFrench(() => undefined);
      const { zipPath } = await packageApp({ env: 'test', values, outDir: out, manifestDir: dir });
      const names = readZip(readFileSync(zipPath)).map((e) => e.name);
      assert.deepEqual(names, ['manifest.json', 'color.png', 'outline.png', 'fr.json']);
      assert.ok(!names.includes('localization.template.json'), 'the template itself is not packaged');
    });

    it('may not use placeholders (the toolkit copies localization files as they are)', async () => {
      writeFrench((s) => {
        s['name.short'] = 'Présence${{APP_NAME_SUFFIX}}';
      });
      const err = await rejection(packageApp({ env: 'test', values, outDir: out, manifestDir: dir }));
      assert.match(err.message, /fr\.json: localization files are packaged as they are/);
    });

    it('keeps the English command titles in a language the bot does not read (a click sends the title as the message)', async () => {
      writeFrench((s) => {
        s['bots[0].commandLists[0].commands[0].title'] = 'nepasderanger';
      });
      const err = await rejection(packageApp({ env: 'test', values, outDir: out, manifestDir: dir }));
      assert.match(err.message, /fr\.json: bots\[0\]\.commandLists\[0\]\.commands\[0\]\.title is "nepasderanger"; in fr it is "dnd"/);
    });

    it("titles a language the bot reads with that language's canonical command word, and nothing else", async () => {
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { localizationInfo: Record<string, unknown> };
      manifest.localizationInfo.additionalLanguages = [{ languageTag: 'pt-BR', file: 'pt-BR.json' }];
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
      await packageApp({ env: 'test', values, outDir: out, manifestDir: dir });
      const strings = JSON.parse(readFileSync(join(dir, 'pt-BR.json'), 'utf8')) as Record<string, string>;
      strings['bots[0].commandLists[0].commands[1].title'] = 'busy';
      writeFileSync(join(dir, 'pt-BR.json'), JSON.stringify(strings, null, 2));
      const err = await rejection(packageApp({ env: 'test', values, outDir: out, manifestDir: dir }));
      assert.match(err.message, /pt-BR\.json: bots\[0\]\.commandLists\[0\]\.commands\[1\]\.title is "busy"; in pt-BR it is "ocupado"/);
    });

    it('must satisfy the localization schema', async () => {
      writeFrench((s) => {
        s['staticTabs[20].name'] = 'no such tab';
      });
      const err = await rejection(packageApp({ env: 'test', values, outDir: out, manifestDir: dir }));
      assert.match(err.message, /fr\.json/);
    });
  });

  describe('env files', () => {
    it('parses the toolkit .env format: comments, blanks, quotes', () => {
      assert.deepEqual(parseEnvFile('# c\n\nA=1\nB = two \nC="x # y"\nD=z # comment\nE=\n'), { A: '1', B: 'two', C: 'x # y', D: 'z', E: '' });
    });

    it('reads .env.<env>, then .env.<env>.user, then the process environment', () => {
      writeFileSync(join(out, '.env.demo'), 'BOT_DOMAIN=a.example.com\nTEAMS_APP_ID=\nAPP_NAME_SUFFIX=-demo\n');
      writeFileSync(join(out, '.env.demo.user'), 'BOT_DOMAIN=b.example.com\n');
      const env = loadEnv('demo', { envDir: out, processEnv: { TEAMS_APP_ID: SAMPLE.TEAMS_APP_ID, APP_NAME_SUFFIX: '' } });
      assert.equal(env.BOT_DOMAIN, 'b.example.com');
      assert.equal(env.TEAMS_APP_ID, SAMPLE.TEAMS_APP_ID);
      assert.equal(env.APP_NAME_SUFFIX, '-demo', 'an empty process variable does not erase a value');
      assert.throws(() => loadEnv('missing', { envDir: out, processEnv: {} }), PackageError);
      assert.throws(() => loadEnv('../etc', { envDir: out, processEnv: {} }), PackageError);
    });
  });
});

describe('zip writer and reader (scripts/zip.ts)', () => {
  it('round-trips stored and deflated entries, UTF-8 names included', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from('{"a":"'.concat('x'.repeat(1000), '"}')) },
      { name: 'tiny.bin', data: Buffer.from([1, 2, 3]) },
      { name: 'sub/é.txt', data: Buffer.alloc(0) },
    ];
    const zip = writeZip(entries);
    assert.equal(zip.readUInt32LE(0), 0x04034b50, 'starts with a local file header');
    assert.deepEqual(
      readZip(zip).map((e) => [e.name, e.data.toString('hex')]),
      entries.map((e) => [e.name, e.data.toString('hex')]),
    );
  });

  it('refuses unsafe or duplicate names, and corrupt data', () => {
    assert.throws(() => writeZip([{ name: '../evil', data: Buffer.alloc(1) }]), /Invalid zip entry name/);
    assert.throws(() => writeZip([{ name: '/abs', data: Buffer.alloc(1) }]), /Invalid zip entry name/);
    assert.throws(
      () =>
        writeZip([
          { name: 'a', data: Buffer.alloc(1) },
          { name: 'a', data: Buffer.alloc(1) },
        ]),
      /Duplicate/,
    );
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('hello hello hello hello') }]);
    const corrupt = Buffer.from(zip);
    corrupt[30 + 'a.txt'.length] = (corrupt[30 + 'a.txt'.length] ?? 0) ^ 0xff;
    assert.throws(() => readZip(corrupt));
    assert.throws(() => readZip(Buffer.from('not a zip at all, not at all')), /Not a zip/);
  });
});
