/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went: self time by function and by
 * package (this app's folders, each node_modules package, node's internals, GC), idle excluded.
 * Standalone: `npx tsx bench/profile.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  /** Of the busy (non-idle) time. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly byFunction: readonly Share[];
  readonly byPackage: readonly Share[];
}

const APP_FOLDERS = ['bot', 'presence', 'server', 'sandbox', 'storage', 'tab', 'bench'];

/** Where a function lives: an app folder, a node_modules package, node itself, or V8's pseudo-frames. */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (internals)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  for (const folder of APP_FOLDERS) if (url.includes(`/${folder}/`)) return `app: ${folder}/`;
  return url;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const build = /\/build\/(.*)$/.exec(url);
  return build?.[1] ?? url.replace(/^file:\/\//, '');
}

export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busyMs = 0;
  for (const [id, ms] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busyMs += ms;
    const fn = frame.url ? `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : frame.functionName;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const pkg = packageOf(frame.url, frame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((1000 * ms) / busyMs) / 10 }));
  return { busyMs: Math.round(busyMs), byFunction: ranked(byFunction), byPackage: ranked(byPackage) };
}

/** Self time in files whose path contains one of `fragments` (e.g. the command parser's), percent of busy time. */
export function shareOfFiles(path: string, fragments: readonly string[]): number {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  let busy = 0;
  let matched = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const ms = profile.timeDeltas[i + 1] ?? 0;
    busy += ms;
    if (fragments.some((f) => frame.url.includes(f))) matched += ms;
  });
  return busy ? (100 * matched) / busy : 0;
}

export function formatSummary(summary: ProfileSummary): string {
  const line = (s: Share) => `  ${s.percent.toFixed(1).padStart(5)}%  ${String(s.ms).padStart(6)} ms  ${s.name}`;
  return [`busy ${summary.busyMs} ms; by package:`, ...summary.byPackage.map(line), 'by function (self time):', ...summary.byFunction.map(line)].join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(summarizeProfile(file, Number(top ?? 25)))}\n`);
}
