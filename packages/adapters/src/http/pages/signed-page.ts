import type { SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { type Flash, flashBox } from './flash-messages.js';
import { layout } from './layout.js';
import { quoteSummary } from './quote-summary.js';
import { signerTexts } from './signer-texts.js';
import { signersSection } from './signers-section.js';

/**
 * After signing (`flash` says "just signed") or on a later visit ("already signed"): the signed PDF to keep. With
 * several signers and others still awaited, the signer's own signature is done: the page says so, lists who is
 * awaited, and offers the PDF as signed so far.
 */
export const signedPage = (view: SigningPageView, base: string, flash: Flash | undefined): SafeHtml => {
  const t = signerTexts(view.language);
  const justSigned = flash?.kind === 'signed';
  // Read from the list, not the status: the page's status may be this signer's own progress (`signed`) or the
  // procedure's while others are still awaited.
  const othersAwaited = view.signers.some((signer) => signer.status !== 'signed');
  const message = othersAwaited
    ? t.signedAwaitingOthers(view.quoteNumber)
    : justSigned
      ? t.signedThanks(view.quoteNumber)
      : t.alreadySigned(view.quoteNumber);
  return layout({
    lang: view.language,
    title: t.signedHeading,
    body: html`<h1>${t.signedHeading}</h1>
${justSigned ? undefined : flashBox(view.language, flash)}
<section>
<p role="status">✔ ${message}</p>
<a class="button" href="${base}/document?download=1" download="${view.documentFileName}">${othersAwaited ? t.downloadPartlySigned : t.downloadSigned}</a>
</section>
${quoteSummary(view)}
${signersSection(view)}
<footer>${t.footer}</footer>`,
  });
};
