import { t } from '@shuangyong/shared';
import { AppError } from '../../platform/errors.js';
import { type FormalLetter, formalLetterDocx, formalLetterPdf } from '../../platform/files/letter.js';

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

export const thanksDocx = (l: ThanksLetter): Promise<Buffer> => formalLetterDocx(formal(l));

export const thanksPdf = (l: ThanksLetter): Promise<Buffer> =>
  formalLetterPdf(formal(l), () => new AppError(503, 'pdf_font_missing', 'troops.letter.fontMissing'));
