import type { Page } from 'playwright-core';

/**
 * The phone-layout check of the journeys: in the page as shown, no text or control overlaps
 * another (bounding boxes of text lines and controls, an element never clashing with what it
 * contains), and no label wraps inside a word ("工作部/署"). Returns the problems found, in words.
 * The browser code is a string: the e2e package has no DOM types.
 */
const SCRIPT = String.raw`(() => {
  const SKIP = '.ant-message, .ant-notification, .ant-tooltip, .ant-popover, .ant-select-dropdown, .ant-picker-dropdown, .ant-dropdown, .ant-modal-root, .ant-drawer, .ant-image-preview-root, [aria-hidden="true"]';
  const LABELS = '.ant-form-item-label > label, .ant-descriptions-item-label, th.ant-table-cell, .ant-statistic-title, .ant-tag, .ant-btn > span, .ant-menu-title-content, .ant-breadcrumb-link, .ant-breadcrumb li > span, .ant-segmented-item-label, .ant-tabs-tab-btn, .ant-card-head-title, .ant-checkbox-label, .ant-radio-label, .ant-steps-item-title';
  const FIELD_INPUTS = '.ant-select input, .ant-picker input, .ant-tree-select input, .ant-cascader input';
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    }
    return !el.closest(SKIP);
  };
  // the part of a box its scrolling or clipping ancestors leave visible (tabs, tables scrolled sideways)
  const clipCache = new Map();
  const clipOf = (el) => {
    if (clipCache.has(el)) return clipCache.get(el);
    let clip = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
      const r = e.getBoundingClientRect();
      clip = { left: Math.max(clip.left, r.left), top: Math.max(clip.top, r.top), right: Math.min(clip.right, r.right), bottom: Math.min(clip.bottom, r.bottom) };
    }
    clipCache.set(el, clip);
    return clip;
  };
  const clipped = (el, r) => {
    const c = clipOf(el);
    const out = { left: Math.max(r.left, c.left), top: Math.max(r.top, c.top), right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom) };
    return out.right - out.left > 1 && out.bottom - out.top > 1 ? out : null;
  };
  const name = (el) => (el.getAttribute('data-testid') ? '[' + el.getAttribute('data-testid') + ']' : el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/)[0] : ''));
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const raw of range.getClientRects()) {
      const r = clipped(el, raw);
      if (r) boxes.push({ el, r, what: JSON.stringify(text.slice(0, 24)) + ' ' + name(el) });
    }
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]), textarea, button, img, [role=switch], .ant-select-selector, .ant-picker')) {
    if (!shown(el) || el.matches(FIELD_INPUTS)) continue;
    const r = clipped(el, el.getBoundingClientRect());
    if (r) boxes.push({ el, r, what: name(el) });
  }
  const problems = [];
  const seen = new Set();
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w <= 2 || h <= 2) continue;
      const key = a.what + ' × ' + b.what;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push('overlap: ' + key);
    }
  }
  const inWordBreak = (text, i) => /[\s,，、。；;：:)）\]】/·\-—]/.test(text[i - 1] || ' ') || /[\s(（\[【]/.test(text[i] || ' ');
  for (const el of document.querySelectorAll(LABELS)) {
    if (!shown(el)) continue;
    const walker2 = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker2.nextNode(); n; n = walker2.nextNode()) {
      const text = n.textContent;
      if (!text.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      if (range.getClientRects().length < 2) continue;
      let top = null;
      for (let i = 0; i < text.length; i++) {
        range.setStart(n, i);
        range.setEnd(n, i + 1);
        const r = range.getClientRects()[0];
        if (!r || !text[i].trim()) continue;
        if (top !== null && r.top > top + 2 && !inWordBreak(text, i)) {
          problems.push('wrap: ' + JSON.stringify(text.slice(0, i) + '/' + text.slice(i)) + ' ' + name(el));
          break;
        }
        top = r.top;
      }
    }
  }
  return problems;
})()`;

export async function layoutProblems(page: Page): Promise<string[]> {
  return (await page.evaluate(SCRIPT)) as string[];
}

export const PHONE = { width: 390, height: 844 };
