import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

export interface BilingualMessage {
  readonly fr: { readonly title: string; readonly text: string };
  readonly en: { readonly title: string; readonly text: string };
}

/**
 * A page that knows nothing of any procedure, in both languages. Why bilingual: it is served before (or without) a
 * token match, so it must not depend on the procedure, not even on its language.
 */
export const messagePage = (message: BilingualMessage, back?: string): SafeHtml =>
  layout({
    lang: 'fr',
    title: `${message.fr.title} · ${message.en.title}`,
    body: html`<section>
<h1>${message.fr.title}</h1>
<p>${message.fr.text}</p>
</section>
<section lang="en">
<h2>${message.en.title}</h2>
<p>${message.en.text}</p>
</section>
${back !== undefined && html`<p><a class="button secondary" href="${back}">← Retour à la page de signature · Back to the signing page</a></p>`}`,
  });

/** Unknown, malformed, expired, cancelled or failed link: one page and one status for all (see the README). */
export const inactiveLinkMessage: BilingualMessage = {
  fr: {
    title: "Ce lien de signature n'est pas valide ou n'est plus actif",
    text: "Le lien est peut-être incomplet, a expiré ou a été retiré par l'expéditeur. Contactez la personne qui vous a envoyé le devis pour en recevoir un nouveau.",
  },
  en: {
    title: 'This signing link is not valid or no longer active',
    text: 'The link may be incomplete, may have expired or been withdrawn by the sender. Contact the person who sent you the quote to get a new one.',
  },
};

export const tooManyRequestsMessage = (seconds: number): BilingualMessage => ({
  fr: {
    title: 'Trop de tentatives',
    text: `Par sécurité, cette action est bloquée pour le moment. Réessayez dans ${Math.ceil(seconds / 60)} min.`,
  },
  en: {
    title: 'Too many attempts',
    text: `For your security this action is blocked for now. Try again in ${Math.ceil(seconds / 60)} min.`,
  },
});

export const forbiddenMessage: BilingualMessage = {
  fr: {
    title: 'Action refusée',
    text: "La demande n'a pas pu être vérifiée (page trop ancienne, ou cookies désactivés). Rechargez la page de signature puis réessayez.",
  },
  en: {
    title: 'Action refused',
    text: 'The request could not be verified (the page was too old, or cookies are off). Reload the signing page and try again.',
  },
};

export const errorMessage: BilingualMessage = {
  fr: {
    title: 'Une erreur est survenue',
    text: 'Le service ne peut pas répondre pour le moment. Réessayez plus tard.',
  },
  en: { title: 'Something went wrong', text: 'The service cannot answer right now. Please try again later.' },
};

export const tooLargeMessage: BilingualMessage = {
  fr: { title: 'Demande trop volumineuse', text: 'Le texte envoyé est trop long.' },
  en: { title: 'Request too large', text: 'The text sent is too long.' },
};

/**
 * A later signer's link before their turn (sequential order). Why it says nothing else: the link may have been
 * forwarded or opened early; neither the quote, the sender nor the other signers are shown until it is this
 * signer's turn, when the invitation email arrives and the same link opens the page.
 */
export const notYourTurnMessage: BilingualMessage = {
  fr: {
    title: "Ce n'est pas encore votre tour de signer",
    text: "D'autres personnes doivent signer ce document avant vous. Vous recevrez un email quand ce sera votre tour : ce lien ouvrira alors la page de signature.",
  },
  en: {
    title: 'It is not your turn to sign yet',
    text: 'Other people must sign this document before you. You will get an email when it is your turn: this link will then open the signing page.',
  },
};
