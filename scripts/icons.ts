/**
 * The app icons, drawn from one source: a clock face (a status that lasts "until") with a presence
 * dot. Teams wants color.png 192x192 (full color; the symbol in the middle 96x96) and outline.png
 * 32x32 (white on transparent). Both are rendered from the same geometry with 4x4 supersampling and
 * encoded with fixed PNG settings, so regenerating them gives the same bytes.
 *
 *   npx tsx scripts/icons.ts           writes manifest/color.png and manifest/outline.png
 *   npx tsx scripts/icons.ts --check   fails if the committed PNGs differ from what the source draws
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { MANIFEST_DIR } from './package-app';

/** The color icon's background; the manifest's accentColor is the same color (a test checks it). */
export const ACCENT = '#0F6CBD';
const AVAILABLE_GREEN = '#6BB700';
const WHITE = '#FFFFFF';

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

/** The glyph, in glyph units (0..1 across the glyph's box). */
const FACE = { center: [0.44, 0.44] as Point, outer: 0.4, inner: 0.29 };
const HAND_WIDTH = 0.085;
const HANDS: readonly (readonly [Point, Point])[] = [
  [FACE.center, [0.44, 0.24]], // minute hand, at 12
  [FACE.center, [0.59, 0.44]], // hour hand, at 3
];
const DOT = { center: [0.78, 0.78] as Point, radius: 0.2, gap: 0.07 };

export interface IconSpec {
  readonly size: number;
  /** The glyph's box inside the canvas, in pixels. */
  readonly box: { readonly left: number; readonly top: number; readonly size: number };
  /** undefined: transparent background (the outline icon). */
  readonly background?: string;
  readonly ink: string;
  readonly dot: string;
}

export const COLOR_ICON: IconSpec = { size: 192, box: { left: 48, top: 48, size: 96 }, background: ACCENT, ink: WHITE, dot: AVAILABLE_GREEN };
export const OUTLINE_ICON: IconSpec = { size: 32, box: { left: 2, top: 2, size: 28 }, ink: WHITE, dot: WHITE };

const SAMPLES = 4;

function rgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m?.[1] || !m[2] || !m[3]) throw new Error(`Not a #RRGGBB color: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

function distanceToSegment(p: Point, [a, b]: readonly [Point, Point]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return distance(p, [a[0] + t * dx, a[1] + t * dy]);
}

/** What covers a point of the glyph: the dot, the clock (face and hands), or nothing. */
function layerAt(p: Point): 'dot' | 'ink' | undefined {
  const fromDot = distance(p, DOT.center);
  if (fromDot <= DOT.radius) return 'dot';
  if (fromDot <= DOT.radius + DOT.gap) return undefined; // the gap that sets the dot apart
  const fromCenter = distance(p, FACE.center);
  if (fromCenter <= FACE.outer && fromCenter >= FACE.inner) return 'ink';
  if (HANDS.some((hand) => distanceToSegment(p, hand) <= HAND_WIDTH / 2)) return 'ink';
  return undefined;
}

/** Renders an icon to RGBA pixels (straight alpha). */
export function renderPixels(spec: IconSpec): Buffer {
  const { size, box } = spec;
  const pixels = Buffer.alloc(size * size * 4);
  const background = spec.background ? rgb(spec.background) : undefined;
  const ink = rgb(spec.ink);
  const dot = rgb(spec.dot);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const p: Point = [(x + (sx + 0.5) / SAMPLES - box.left) / box.size, (y + (sy + 0.5) / SAMPLES - box.top) / box.size];
          const layer = layerAt(p);
          const color = layer === 'dot' ? dot : layer === 'ink' ? ink : background;
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const i = (y * size + x) * 4;
      const total = SAMPLES * SAMPLES;
      // Straight alpha: the color is the average of the covered samples; transparent pixels stay white.
      pixels[i] = a ? Math.round(r / a) : 255;
      pixels[i + 1] = a ? Math.round(g / a) : 255;
      pixels[i + 2] = a ? Math.round(b / a) : 255;
      pixels[i + 3] = Math.round((a / total) * 255);
    }
  }
  return pixels;
}

/** A PNG with fixed encoder settings (RGBA 8-bit, zlib level 9, no ancillary chunks). */
export function encodePng(size: number, pixels: Buffer): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6, inputHasAlpha: true, bitDepth: 8 });
  pixels.copy(png.data);
  return PNG.sync.write(png, { colorType: 6, inputHasAlpha: true, bitDepth: 8, deflateLevel: 9, deflateStrategy: 1, filterType: -1 });
}

export function renderIcons(): { readonly 'color.png': Buffer; readonly 'outline.png': Buffer } {
  return {
    'color.png': encodePng(COLOR_ICON.size, renderPixels(COLOR_ICON)),
    'outline.png': encodePng(OUTLINE_ICON.size, renderPixels(OUTLINE_ICON)),
  };
}

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  let stale = 0;
  for (const [name, bytes] of Object.entries(renderIcons())) {
    const file = join(MANIFEST_DIR, name);
    if (check) {
      let current: Buffer | undefined;
      try {
        current = readFileSync(file);
      } catch {
        current = undefined;
      }
      if (!current?.equals(bytes)) {
        process.stderr.write(`${name} differs from what scripts/icons.ts draws; run: npx tsx scripts/icons.ts\n`);
        stale++;
      }
    } else {
      writeFileSync(file, bytes);
      process.stdout.write(`wrote manifest/${name} (${bytes.length} bytes)\n`);
    }
  }
  return stale ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
