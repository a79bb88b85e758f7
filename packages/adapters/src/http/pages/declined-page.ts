import type { SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';
import { quoteSummary } from './quote-summary.js';
import { signerTexts } from './signer-texts.js';

/** The signer declined: the same page right after the decline and on any later visit. */
export const declinedPage = (view: SigningPageView): SafeHtml => {
  const t = signerTexts(view.language);
  return layout({
    lang: view.language,
    title: t.declinedHeading,
    body: html`<h1>${t.declinedHeading}</h1>
<section><p role="status">${t.declinedText(view.quoteNumber, view.senderName)}</p></section>
${quoteSummary(view)}
<footer>${t.footer}</footer>`,
  });
};
