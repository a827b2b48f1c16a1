/** A render worker for render-pool.unit.test.ts: renderers that fail in each way a real one can. */
import { AppError } from '../src/platform/errors.js';
import { renderTask, serveRenders } from '../src/platform/files/render-pool.js';

serveRenders([
  renderTask<{ text: string }, { a: Buffer; b: Buffer }>('test.bytes', async () => async ({ text }) => ({
    a: Buffer.from(text.repeat(2000)),
    b: Buffer.from('b'),
  })),
  renderTask<{ key: 'benefits.card.fontMissing' }, Buffer>('test.font', async () => async ({ key }) => {
    throw new AppError(503, 'pdf_font_missing', key);
  }),
  renderTask<object, Buffer>('test.crash', async () => async () => process.exit(3)),
  renderTask<object, Buffer>('test.hang', async () => () => new Promise<Buffer>(() => {})),
  renderTask<object, number>('test.pid', async () => async () => process.pid),
]);
