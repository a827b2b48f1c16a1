import { t } from '@shuangyong/shared';
import { type FormalLetter, renderFormalLetter } from '../../platform/files/letter.js';

/** A thanks letter (感谢信) of the requesting side to the units dispatched to an emergency. */
export interface ThanksLetter {
  units: string;
  text: string;
  sender: string;
  date: string;
}

const formal = (l: ThanksLetter): FormalLetter => ({
  title: t('troops.letter.title'),
  salutation: t('troops.letter.salutation', { units: l.units }),
  paragraphs: l.text.split(/\n+/),
  sender: l.sender,
  date: l.date,
});

/** The letter as DOCX or PDF, made in the render worker (platform/files/render-pool.ts). */
const thanksFile = (l: ThanksLetter, format: 'pdf' | 'docx'): Promise<Buffer> =>
  renderFormalLetter(formal(l), format, 'troops.letter.fontMissing');

export const thanksDocx = (l: ThanksLetter): Promise<Buffer> => thanksFile(l, 'docx');

export const thanksPdf = (l: ThanksLetter): Promise<Buffer> => thanksFile(l, 'pdf');
