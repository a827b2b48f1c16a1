import fs from 'node:fs';
import { type FkFont, openSync } from 'fontkit';

/**
 * Turns the `<text>` elements of an ECharts SVG into outlines drawn with the system's Noto CJK
 * font (fontkit, pdfkit's font engine), so the rasteriser needs no font: resvg re-reads a font file
 * for every text element it lays out — about 0.2 s each for the 20 MB CJK collection.
 */
const FONT_FILES: [string, string][] = [
  [process.env.CHART_FONT_FILE ?? '', process.env.CHART_FONT_FACE ?? ''],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
];

let cached: FkFont | null | undefined;
function font(): FkFont | null {
  if (cached !== undefined) return cached;
  const found = FONT_FILES.find(([file]) => file && fs.existsSync(file));
  cached = found ? openSync(found[0], found[1] || undefined) : null;
  return cached;
}

const paths = new Map<number, string>();
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** One text run as a path in its own coordinates (x along the baseline from the anchor). */
function outline(f: FkFont, text: string, size: number, anchor: string, baseline: string): string {
  const s = size / f.unitsPerEm;
  const run = f.layout(text);
  const width = run.positions.reduce((w, p) => w + p.xAdvance, 0) * s;
  const x0 = anchor === 'middle' ? -width / 2 : anchor === 'end' ? -width : 0;
  const y0 =
    baseline === 'central' || baseline === 'middle'
      ? ((f.ascent + f.descent) / 2) * s
      : baseline === 'hanging' || baseline === 'text-before-edge'
        ? f.ascent * s
        : baseline === 'ideographic' || baseline === 'text-after-edge' || baseline === 'bottom'
          ? f.descent * s
          : 0;
  let x = x0;
  const parts: string[] = [];
  run.glyphs.forEach((g, i) => {
    const p = run.positions[i]!;
    let d = paths.get(g.id);
    if (d === undefined) {
      d = g.path.toSVG();
      paths.set(g.id, d);
    }
    if (d)
      parts.push(
        `<path transform="translate(${(x + p.xOffset * s).toFixed(2)} ${(y0 - p.yOffset * s).toFixed(2)}) scale(${s.toFixed(5)} ${(-s).toFixed(5)})" d="${d}"/>`,
      );
    x += p.xAdvance * s;
  });
  return parts.join('');
}

/** The SVG with every plain `<text>` replaced by outlines (unchanged when no CJK font is installed). */
export function textToPaths(svg: string): string {
  const f = font();
  if (!f) return svg;
  return svg.replace(/<text\b([^>]*)>([^<]*)<\/text>/g, (_m, attrs: string, content: string) => {
    const tag = ` ${attrs}`;
    const size = Number(/font-size:\s*([\d.]+)px/.exec(attrs)?.[1] ?? 12);
    const x = Number(attr(tag, 'x') ?? 0);
    const y = Number(attr(tag, 'y') ?? 0);
    const transform = attr(tag, 'transform');
    const keep = ['fill', 'stroke', 'stroke-width', 'paint-order', 'stroke-miterlimit', 'opacity', 'fill-opacity']
      .map((n) => [n, attr(tag, n)] as const)
      .filter(([, v]) => v !== undefined)
      .map(([n, v]) => ` ${n}="${v}"`)
      .join('');
    const body = outline(
      f,
      decodeEntities(content),
      size,
      attr(tag, 'text-anchor') ?? 'start',
      attr(tag, 'dominant-baseline') ?? 'alphabetic',
    );
    const place = `${transform ? `${transform} ` : ''}translate(${x} ${y})`;
    return `<g transform="${place}"${keep.includes('fill=') ? '' : ' fill="#000"'}${keep}>${body}</g>`;
  });
}
