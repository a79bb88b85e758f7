import type { SignerStatus, SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime } from './format-date.js';
import { type SignerTexts, signerTexts } from './signer-texts.js';

/** This signer's own progress: with several signers the procedure's status is the least advanced awaited one's. */
export const ownStatus = (view: SigningPageView): SignerStatus =>
  view.signers[view.position]?.status ?? (view.status as SignerStatus);

const statusText = (
  t: SignerTexts,
  view: SigningPageView,
  signer: SigningPageView['signers'][number],
  mine: boolean,
): string => {
  switch (signer.status) {
    case 'signed':
      return t.signedOn(
        signer.signedAt === undefined ? '' : formatDateTime(signer.signedAt, view.language, view.timeZone),
      );
    case 'declined':
      return t.declinedSigner;
    case 'waiting':
      return t.awaitingTurn;
    default:
      return mine ? t.yourTurn : t.invited;
  }
};

/**
 * Who signs, by name only, in the list's order: who has signed (and when), whose turn it is, who is awaited. Absent
 * with one signer, whose page stays as it always was.
 */
export const signersSection = (view: SigningPageView): SafeHtml | undefined => {
  if (view.signers.length < 2) return undefined;
  const t = signerTexts(view.language);
  return html`<section aria-labelledby="signers-heading">
<h2 id="signers-heading">${t.signersHeading}</h2>
<p class="hint">${view.signingOrder === 'sequential' ? t.sequentialExplain : t.parallelExplain}</p>
<ol class="signers">
${view.signers.map((signer, i) => {
  const mine = i === view.position;
  return html`<li${mine ? html` aria-current="step"` : undefined}><strong>${mine ? t.you(signer.name) : signer.name}</strong> — <span data-status="${signer.status}">${statusText(t, view, signer, mine)}</span></li>`;
})}
</ol>
</section>`;
};
