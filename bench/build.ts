/**
 * Compiles what the bench's child processes run into bench-output/build, so every measured process runs as
 * `npm start` runs the app: the app exactly as `npm run build` compiles it (tsc, tsconfig.build.json), and the
 * bench's own files (bench/) transpiled by esbuild next to it. Both are plain CommonJS on plain node, no loader.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface BenchBuild {
  readonly outdir: string;
  /** tsc's diagnostics when it reported errors (it still emits); empty when clean. */
  readonly typeErrors: string;
}

export async function buildForBench(root: string, outdir: string): Promise<BenchBuild> {
  rmSync(outdir, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outdir], {
    cwd: root,
    encoding: 'utf8',
  });
  if (tsc.error) throw tsc.error;
  const entryPoints = readdirSync(join(root, 'bench'))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join('bench', name));
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    outbase: '.',
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  return { outdir, typeErrors: tsc.status === 0 ? '' : `${tsc.stdout}${tsc.stderr}`.trim() };
}
