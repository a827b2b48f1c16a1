/** The part of fontkit 2 (pdfkit's font engine, no types of its own) the chart renderer uses. */
declare module 'fontkit' {
  export interface FkPath {
    scale(sx: number, sy: number): FkPath;
    translate(x: number, y: number): FkPath;
    toSVG(): string;
  }
  export interface FkGlyph {
    id: number;
    path: FkPath;
    advanceWidth: number;
  }
  export interface FkFont {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    layout(text: string): { glyphs: FkGlyph[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
  }
  export function openSync(file: string, postscriptName?: string): FkFont;
}
