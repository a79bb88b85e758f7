import type { SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { type Flash, flashBox } from './flash-messages.js';
import { layout } from './layout.js';
import { quoteSummary } from './quote-summary.js';
import { signerTexts } from './signer-texts.js';

/** After signing (`flash` says "just signed") or on a later visit ("already signed"): the signed PDF to keep. */
export const signedPage = (view: SigningPageView, base: string, flash: Flash | undefined): SafeHtml => {
  const t = signerTexts(view.language);
  const justSigned = flash?.kind === 'signed';
  return layout({
    lang: view.language,
    title: t.signedHeading,
    body: html`<h1>${t.signedHeading}</h1>
${justSigned ? undefined : flashBox(view.language, flash)}
<section>
<p role="status">✔ ${justSigned ? t.signedThanks(view.quoteNumber) : t.alreadySigned(view.quoteNumber)}</p>
<a class="button" href="${base}/document?download=1" download="${view.documentFileName}">${t.downloadSigned}</a>
</section>
${quoteSummary(view)}
<footer>${t.footer}</footer>`,
  });
};
