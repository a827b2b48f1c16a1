import type { ContentBlock } from '@shuangyong/shared';

/** The editor's text (blank lines between paragraphs) as structured content: paragraphs only. */
export function blocksOf(text: string): ContentBlock[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => ({ type: 'paragraph' as const, text: p }));
}

/** Structured content back as the editor's text. */
export function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((b) => (b.type === 'list' ? b.items.join('\n') : b.text)).join('\n\n');
}

/** A text cut at the findings' [start, end) spans: plain pieces and marked ones, in order. */
export function pieces(text: string, spans: readonly { start: number; end: number }[]) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: { text: string; marked: boolean }[] = [];
  let at = 0;
  for (const s of sorted) {
    const start = Math.max(s.start, at);
    if (start >= s.end) continue;
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    out.push({ text: text.slice(start, s.end), marked: true });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
}
