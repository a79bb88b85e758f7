import type { SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime } from './format-date.js';
import { signerTexts } from './signer-texts.js';

/** Quote number, sender and deadline: shown only once the token matched a procedure. */
export const quoteSummary = (view: SigningPageView): SafeHtml => {
  const t = signerTexts(view.language);
  return html`<section aria-label="${t.quote}">
<dl>
<dt>${t.quote}</dt><dd>${view.quoteNumber}</dd>
<dt>${t.sender}</dt><dd>${view.senderName}</dd>
<dt>${t.deadline}</dt><dd>${formatDateTime(view.deadline, view.language, view.timeZone)}</dd>
</dl>
</section>`;
};

/** The document in the page, with links that work where the browser shows no PDF inline (most phones). */
export const documentSection = (view: SigningPageView, base: string): SafeHtml => {
  const t = signerTexts(view.language);
  return html`<section aria-labelledby="document-heading">
<h2 id="document-heading">${t.documentHeading}</h2>
<object class="document" data="${base}/document" type="application/pdf" aria-label="${view.documentFileName}">
<p>${t.documentFallback}</p>
</object>
<p><a class="button secondary" href="${base}/document" target="_blank" rel="noopener">${t.openDocument}</a>
<a href="${base}/document?download=1" download="${view.documentFileName}">${t.downloadDocument}</a></p>
</section>`;
};
