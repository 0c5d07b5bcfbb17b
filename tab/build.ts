import { assetVersion } from './asset-version';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { en } from './page/messages';

export interface TabBuildResult {
  /** The page's JavaScript (main.js, what index.html loads), minified. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every file written, with its size and gzipped size. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly gzipBytes: number }>>;
  readonly outdir: string;
}

export interface TabBuildOptions {
  readonly outdir?: string;
  readonly minify?: boolean;
}

const ROOT = resolve(__dirname, '..');
const PAGE = join(ROOT, 'tab', 'page');
export const TAB_DIST = join(ROOT, 'tab', 'dist');

/** Entry points: the tab, and the consent window's two pages. */
const ENTRIES = { main: 'main.ts', 'auth-start': 'auth-start.ts', 'auth-end': 'auth-end.ts' } as const;
const HTML = ['index.html', 'auth-start.html', 'auth-end.html'] as const;
const CSS = ['styles.css'] as const;

/**
 * Builds the personal tab into tab/dist: one bundled, minified ES2020 script per page (no inline
 * script anywhere: the CSP allows 'self' only), the stylesheet, and the HTML with cache-busting
 * `?v=` hashes and its title from the message catalog.
 */
export async function buildTab(options: TabBuildOptions = {}): Promise<TabBuildResult> {
  const outdir = options.outdir ?? TAB_DIST;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(PAGE, file)])),
    outdir,
    bundle: true,
    minify: options.minify ?? true,
    target: 'es2020',
    format: 'iife',
    platform: 'browser',
    sourcemap: 'linked',
    legalComments: 'none',
    charset: 'utf8',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, { bytes: number; gzipBytes: number }> = {};
  const hashes = new Map<string, string>();
  const write = async (name: string, content: Uint8Array | string) => {
    const data = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    await writeFile(join(outdir, name), data);
    files[name] = { bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
    hashes.set(name, assetVersion(data));
  };
  for (const file of result.outputFiles) await write(file.path.slice(outdir.length + 1), file.contents);
  for (const name of CSS) await write(name, await readFile(join(PAGE, name)));
  for (const name of HTML) {
    const html = (await readFile(join(PAGE, name), 'utf8'))
      .replace('{{title}}', escapeHtml(en.documentTitle))
      .replace('{{authTitle}}', escapeHtml(en.authStart.title))
      .replace(/(src|href)="\/tab\/([\w.-]+\.(?:js|css))"/g, (all, attr: string, file: string) => {
        const hash = hashes.get(file);
        return hash ? `${attr}="/tab/${file}?v=${hash}"` : all;
      });
    await write(name, html);
  }
  const main = files['main.js'];
  if (!main) throw new Error('tab build produced no main.js');
  return { bytes: main.bytes, gzipBytes: main.gzipBytes, files, outdir };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

if (require.main === module) {
  buildTab()
    .then((r) => {
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      if (process.argv.includes('--verbose'))
        for (const [name, f] of Object.entries(r.files))
          if (!name.endsWith('.map')) console.log(`  ${name.padEnd(18)} ${kb(f.bytes).padStart(9)}  ${kb(f.gzipBytes).padStart(8)} gzipped`);
      console.log(`tab built: tab/dist, page JavaScript ${kb(r.gzipBytes)} gzipped (budget 60 KB)`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
