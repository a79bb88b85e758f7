import type { Language } from '@paraphe/domain';
import * as t from 'io-ts';
import { html, type SafeHtml } from '../html.js';

/** What a POST tells the page it redirects to; `n` is the only parameter (attempts left, seconds to wait). */
export const FlashCodec = t.intersection([
  t.type({
    kind: t.keyof({
      'code-sent': null,
      'wrong-code': null,
      'attempts-exhausted': null,
      verified: null,
      cooldown: null,
      'code-limit': null,
      'sms-failed': null,
      'no-active-code': null,
      'code-expired': null,
      'code-format': null,
      'consent-required': null,
      'not-verified': null,
      'reason-too-long': null,
      signed: null,
      declined: null,
      retry: null,
    }),
  }),
  t.partial({ n: t.number }),
]);
export type Flash = t.TypeOf<typeof FlashCodec>;
export type FlashKind = Flash['kind'];

type Tone = 'info' | 'success' | 'error';
type Message = readonly [Tone, (n: number) => string];
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

const messages: Readonly<Record<Language, Readonly<Record<FlashKind, Message>>>> = {
  fr: {
    'code-sent': ['info', () => 'Un code vous a été envoyé par SMS. Saisissez-le ci-dessous.'],
    'wrong-code': [
      'error',
      (n) => `Code incorrect. ${plural(n, 'Il vous reste 1 tentative.', `Il vous reste ${n} tentatives.`)}`,
    ],
    'attempts-exhausted': [
      'error',
      () => 'Code incorrect. Ce code ne peut plus servir : demandez un nouveau code.',
    ],
    verified: ['success', () => 'Identité confirmée. Vous pouvez maintenant signer.'],
    cooldown: ['error', (n) => `Veuillez patienter ${n} s avant de demander un nouveau code.`],
    'code-limit': ['error', () => "Le nombre maximal de codes est atteint. Contactez l'expéditeur du devis."],
    'sms-failed': ['error', () => "Le SMS n'a pas pu être envoyé. Réessayez dans un instant."],
    'no-active-code': ['error', () => 'Aucun code valide : demandez un nouveau code.'],
    'code-expired': ['error', () => 'Le code a expiré : demandez un nouveau code.'],
    'code-format': ['error', () => 'Saisissez le code reçu par SMS.'],
    'consent-required': ['error', () => 'Cochez la case pour accepter le devis avant de signer.'],
    'not-verified': ['error', () => "Confirmez d'abord votre identité avec le code SMS."],
    'reason-too-long': ['error', () => 'Le motif est trop long (2 000 caractères au plus).'],
    signed: ['success', () => 'Le devis est signé.'],
    declined: ['success', () => 'Votre refus a été enregistré.'],
    retry: ['error', () => "L'action n'a pas abouti. Réessayez."],
  },
  en: {
    'code-sent': ['info', () => 'A code was sent to you by SMS. Type it below.'],
    'wrong-code': ['error', (n) => `Wrong code. ${plural(n, '1 attempt left.', `${n} attempts left.`)}`],
    'attempts-exhausted': ['error', () => 'Wrong code. This code can no longer be used: ask for a new code.'],
    verified: ['success', () => 'Identity confirmed. You can now sign.'],
    cooldown: ['error', (n) => `Please wait ${n} s before asking for a new code.`],
    'code-limit': [
      'error',
      () => 'The maximum number of codes has been reached. Contact the sender of the quote.',
    ],
    'sms-failed': ['error', () => 'The SMS could not be sent. Please try again in a moment.'],
    'no-active-code': ['error', () => 'No valid code: ask for a new code.'],
    'code-expired': ['error', () => 'The code has expired: ask for a new code.'],
    'code-format': ['error', () => 'Type the code you received by SMS.'],
    'consent-required': ['error', () => 'Tick the box to accept the quote before signing.'],
    'not-verified': ['error', () => 'First confirm your identity with the SMS code.'],
    'reason-too-long': ['error', () => 'The reason is too long (2,000 characters at most).'],
    signed: ['success', () => 'The quote is signed.'],
    declined: ['success', () => 'Your decline has been recorded.'],
    retry: ['error', () => 'The action did not go through. Please try again.'],
  },
};

export type FlashPlace = 'identity' | 'sign' | 'top';

/** Where a message shows: next to the form the signer just used, where the focus lands, not out of sight above. */
export const flashPlace = (kind: FlashKind): FlashPlace => {
  switch (kind) {
    case 'verified':
    case 'consent-required':
    case 'not-verified':
      return 'sign';
    case 'reason-too-long':
    case 'retry':
    case 'signed':
    case 'declined':
      return 'top';
    default:
      return 'identity';
  }
};

/** The message box; errors are announced at once, the rest politely. */
export const flashBox = (language: Language, flash: Flash | undefined): SafeHtml | undefined => {
  if (flash === undefined) return undefined;
  const [tone, text] = messages[language][flash.kind];
  const role = tone === 'error' ? 'alert' : 'status';
  return html`<div class="flash ${tone}" role="${role}" id="flash">${text(Math.max(0, Math.round(flash.n ?? 0)))}</div>`;
};
