import type { SigningPageView } from '@paraphe/domain';
import { html, type SafeHtml } from '../html.js';
import { type Flash, type FlashPlace, flashBox, flashPlace } from './flash-messages.js';
import { layout } from './layout.js';
import { documentSection, quoteSummary } from './quote-summary.js';
import { signerTexts } from './signer-texts.js';
import { ownStatus, signersSection } from './signers-section.js';

export interface SigningPageInput {
  readonly view: SigningPageView;
  /** The page's own path (`…/sign/<token>`); every form posts below it. */
  readonly base: string;
  readonly csrf: string;
  readonly flash?: Flash;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

const flashAt = (place: FlashPlace, { view, flash }: SigningPageInput) =>
  flash !== undefined && flashPlace(flash.kind) === place ? flashBox(view.language, flash) : undefined;

/** Step 1: ask for a code, then type it. Focus lands on the code field once a code is out. */
const identityStep = (input: SigningPageInput): SafeHtml => {
  const { view, base, csrf } = input;
  const t = signerTexts(view.language);
  const verified = ownStatus(view) === 'verified';
  const typing = !verified && view.codes.active;
  const canAsk = !verified && view.codes.remaining > 0;
  return html`<section aria-labelledby="identity-heading">
<p class="step">${t.identityStep}</p>
<h2 id="identity-heading">${t.identityHeading}</h2>
${flashAt('identity', input)}
${
  verified
    ? html`<p>✔ ${t.identityConfirmed}</p>`
    : html`<p id="code-hint">${typing ? t.codeSentTo(view.maskedMobile) : t.codeExplain(view.maskedMobile)}</p>`
}
${
  typing &&
  html`<form method="post" action="${base}/verify">
${csrfField(csrf)}
<label for="code">${t.codeLabel}</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required autofocus aria-describedby="code-hint">
<button type="submit">${t.verify}</button>
</form>`
}
${
  canAsk &&
  html`<form method="post" action="${base}/code">
${csrfField(csrf)}
<button type="submit" class="${typing ? 'secondary' : ''}">${typing ? t.resendCode : t.sendCode}</button>
${view.codes.sent > 0 && html`<p class="hint">${t.codesLeft(view.codes.remaining)}</p>`}
</form>`
}
</section>`;
};

/** Step 2: consent and sign, offered only after the code was verified (rule 4). */
const signStep = (input: SigningPageInput): SafeHtml => {
  const { view, base, csrf } = input;
  const t = signerTexts(view.language);
  const body =
    ownStatus(view) === 'verified'
      ? html`<form method="post" action="${base}/sign">
${csrfField(csrf)}
<label class="consent" for="consent"><input type="checkbox" id="consent" name="consent" value="yes" required autofocus>
<span>${view.consentText}</span></label>
<button type="submit">${t.sign}</button>
</form>`
      : html`<p class="hint">${t.signLocked}</p>`;
  return html`<section aria-labelledby="sign-heading">
<p class="step">${t.signStep}</p>
<h2 id="sign-heading">${t.signHeading}</h2>
${flashAt('sign', input)}
${body}
</section>`;
};

const declineSection = ({ view, base, csrf }: SigningPageInput): SafeHtml => {
  const t = signerTexts(view.language);
  return html`<section>
<details>
<summary>${t.declineSummary}</summary>
<form method="post" action="${base}/decline">
${csrfField(csrf)}
<p>${t.declineExplain}</p>
<label for="reason">${t.declineReason}</label>
<textarea id="reason" name="reason" maxlength="2000"></textarea>
<button type="submit" class="danger">${t.decline}</button>
</form>
</details>
</section>`;
};

/** The page of a procedure that can still be signed. */
export const signingPage = (input: SigningPageInput): SafeHtml => {
  const { view } = input;
  const t = signerTexts(view.language);
  return layout({
    lang: view.language,
    title: t.title(view.quoteNumber),
    body: html`<h1>${t.title(view.quoteNumber)}</h1>
${flashAt('top', input)}
<p>${t.greeting(view.signerName)}</p>
<p>${t.intro}</p>
${quoteSummary(view)}
${signersSection(view)}
${documentSection(view, input.base)}
${identityStep(input)}
${signStep(input)}
${declineSection(input)}
<footer>${t.footer}</footer>`,
  });
};
