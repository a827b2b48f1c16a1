/** Text of every page of a PDF, as a reader extracts it (pdf.js), and the number of pages. */
export async function pdfPages(buf: Buffer): Promise<{ text: string; pages: number }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(buf), disableFontFace: true, isEvalSupported: false })
    .promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((x) => ('str' in x ? x.str : '')).join('');
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { text, pages };
}

/** Text of every page of a PDF, as a reader extracts it (pdf.js). */
export const pdfText = async (buf: Buffer): Promise<string> => (await pdfPages(buf)).text;
