/** Teams' presence badges (Fluent 2 shapes): a coloured disc with a glyph, so no state is told by colour alone. */
export type BadgeKind = 'available' | 'busy' | 'dnd' | 'away' | 'offline' | 'oof' | 'unknown';

export function badgeKindOf(availability: string, activity: string): BadgeKind {
  if (activity === 'OutOfOffice') return 'oof';
  switch (availability) {
    case 'Available':
    case 'AvailableIdle':
      return 'available';
    case 'Busy':
    case 'BusyIdle':
      return 'busy';
    case 'DoNotDisturb':
      return 'dnd';
    case 'Away':
    case 'BeRightBack':
      return 'away';
    case 'Offline':
      return 'offline';
    default:
      return 'unknown';
  }
}

const SVG = 'http://www.w3.org/2000/svg';

function node(name: string, attrs: Record<string, string>): SVGElement {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  return el;
}

/** A decorative badge (aria-hidden): the text next to it carries the meaning. */
export function badge(kind: BadgeKind, size = 16): SVGElement {
  const svg = node('svg', {
    viewBox: '0 0 16 16',
    width: String(size),
    height: String(size),
    'aria-hidden': 'true',
    focusable: 'false',
    class: `badge badge-${kind}`,
  });
  const ring = kind === 'offline' || kind === 'unknown';
  svg.append(
    ring
      ? node('circle', { cx: '8', cy: '8', r: '6.75', class: 'badge-ring', fill: 'none', 'stroke-width': '1.5' })
      : node('circle', { cx: '8', cy: '8', r: '8', class: 'badge-disc' }),
  );
  const glyph = (d: string) =>
    node('path', {
      d,
      class: ring ? 'badge-ring-glyph' : 'badge-glyph',
      fill: 'none',
      'stroke-width': '1.6',
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    });
  switch (kind) {
    case 'available':
      svg.append(glyph('M4.6 8.3 7 10.6 11.4 5.8'));
      break;
    case 'dnd':
      svg.append(glyph('M4.8 8h6.4'));
      break;
    case 'away':
      svg.append(glyph('M8 4.4v3.9l2.5 1.4'));
      break;
    case 'offline':
      svg.append(glyph('M5.9 5.9l4.2 4.2M10.1 5.9l-4.2 4.2'));
      break;
    case 'oof':
      svg.append(glyph('M11.2 8H5.2M7.6 5.6 5.2 8l2.4 2.4'));
      break;
    case 'unknown':
      svg.append(glyph('M6.6 6.4a1.5 1.5 0 1 1 2 1.4c-.4.2-.6.5-.6.9M8 10.9v.1'));
      break;
    case 'busy':
      break;
  }
  return svg;
}

/** A small check mark for the state that is set now. */
export function checkMark(): SVGElement {
  const svg = node('svg', { viewBox: '0 0 16 16', width: '16', height: '16', 'aria-hidden': 'true', focusable: 'false', class: 'check' });
  svg.append(
    node('path', {
      d: 'M3.5 8.5 6.5 11.5 12.5 4.5',
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': '1.6',
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
    }),
  );
  return svg;
}
