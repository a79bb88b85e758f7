import type { Language } from '@paraphe/domain';

/** Every word of the signing page, in the procedure's language. */
export interface SignerTexts {
  readonly title: (quoteNumber: string) => string;
  readonly greeting: (signerName: string) => string;
  readonly intro: string;
  readonly quote: string;
  readonly sender: string;
  readonly deadline: string;
  readonly documentHeading: string;
  readonly documentFallback: string;
  readonly openDocument: string;
  readonly downloadDocument: string;
  readonly identityStep: string;
  readonly identityHeading: string;
  readonly codeExplain: (maskedMobile: string) => string;
  readonly sendCode: string;
  readonly resendCode: string;
  readonly codeLabel: string;
  readonly codeSentTo: (maskedMobile: string) => string;
  readonly verify: string;
  readonly codesLeft: (remaining: number) => string;
  readonly signStep: string;
  readonly signHeading: string;
  readonly signLocked: string;
  readonly identityConfirmed: string;
  readonly sign: string;
  readonly declineSummary: string;
  readonly declineExplain: string;
  readonly declineReason: string;
  readonly decline: string;
  readonly signedHeading: string;
  readonly signedThanks: (quoteNumber: string) => string;
  readonly alreadySigned: (quoteNumber: string) => string;
  readonly downloadSigned: string;
  readonly declinedHeading: string;
  readonly declinedText: (quoteNumber: string, senderName: string) => string;
  readonly footer: string;
  /** Several signers: the list on every page of the link, by name only. */
  readonly signersHeading: string;
  readonly sequentialExplain: string;
  readonly parallelExplain: string;
  readonly you: (name: string) => string;
  readonly yourTurn: string;
  readonly signedOn: (date: string) => string;
  readonly invited: string;
  readonly awaitingTurn: string;
  readonly declinedSigner: string;
  /** This signer signed, others are still awaited. */
  readonly signedAwaitingOthers: (quoteNumber: string) => string;
  readonly downloadPartlySigned: string;
}

const fr: SignerTexts = {
  title: (n) => `Signature du devis ${n}`,
  greeting: (name) => `Bonjour ${name},`,
  intro: 'Lisez le devis ci-dessous, confirmez votre identité par un code SMS, puis signez.',
  quote: 'Devis',
  sender: 'Envoyé par',
  deadline: 'À signer avant le',
  documentHeading: 'Le document',
  documentFallback:
    'Votre navigateur ne peut pas afficher le PDF dans la page. Ouvrez-le ou téléchargez-le :',
  openDocument: 'Ouvrir le document',
  downloadDocument: 'Télécharger le PDF',
  identityStep: 'Étape 1 sur 2',
  identityHeading: 'Confirmez votre identité',
  codeExplain: (m) => `Nous envoyons un code à usage unique par SMS au ${m}.`,
  sendCode: 'Recevoir le code par SMS',
  resendCode: 'Recevoir un nouveau code',
  codeLabel: 'Code',
  codeSentTo: (m) => `Nous avons envoyé un code par SMS au ${m}. Saisissez-le ci-dessous.`,
  verify: 'Valider le code',
  codesLeft: (n) => (n <= 1 ? `Encore ${n} code possible.` : `Encore ${n} codes possibles.`),
  signStep: 'Étape 2 sur 2',
  signHeading: 'Signez le devis',
  signLocked: 'Disponible une fois votre identité confirmée.',
  identityConfirmed: 'Identité confirmée.',
  sign: 'Signer',
  declineSummary: 'Refuser le devis',
  declineExplain: "L'expéditeur sera informé de votre refus. Vous pouvez indiquer un motif.",
  declineReason: 'Motif (facultatif)',
  decline: 'Refuser',
  signedHeading: 'Devis signé',
  signedThanks: (n) => `Merci : vous avez signé le devis ${n}. L'expéditeur en est informé.`,
  alreadySigned: (n) => `Le devis ${n} a déjà été signé.`,
  downloadSigned: 'Télécharger le devis signé (PDF)',
  declinedHeading: 'Devis refusé',
  declinedText: (n, s) => `Vous avez refusé le devis ${n}. ${s} en a été informé.`,
  footer: 'Signature électronique avec vérification par SMS.',
  signersHeading: 'Signataires',
  sequentialExplain: "Chacun signe à son tour, dans l'ordre ci-dessous.",
  parallelExplain: "Chacun peut signer dès maintenant, dans n'importe quel ordre.",
  you: (name) => `${name} (vous)`,
  yourTurn: "C'est votre tour",
  signedOn: (date) => `A signé le ${date}`,
  invited: 'Invité, pas encore signé',
  awaitingTurn: 'Attend son tour',
  declinedSigner: 'A refusé',
  signedAwaitingOthers: (n) =>
    `Merci : vous avez signé le devis ${n}. Les autres signataires sont invités à leur tour ; l'expéditeur sera informé quand tous auront signé.`,
  downloadPartlySigned: 'Télécharger le devis avec les signatures déjà faites (PDF)',
};

const en: SignerTexts = {
  title: (n) => `Signing quote ${n}`,
  greeting: (name) => `Hello ${name},`,
  intro: 'Read the quote below, confirm your identity with an SMS code, then sign.',
  quote: 'Quote',
  sender: 'Sent by',
  deadline: 'Sign before',
  documentHeading: 'The document',
  documentFallback: 'Your browser cannot show the PDF in the page. Open or download it:',
  openDocument: 'Open the document',
  downloadDocument: 'Download the PDF',
  identityStep: 'Step 1 of 2',
  identityHeading: 'Confirm your identity',
  codeExplain: (m) => `We send a one-time code by SMS to ${m}.`,
  sendCode: 'Send me the code by SMS',
  resendCode: 'Send me a new code',
  codeLabel: 'Code',
  codeSentTo: (m) => `We sent a code by SMS to ${m}. Type it below.`,
  verify: 'Check the code',
  codesLeft: (n) => (n === 1 ? '1 more code can be sent.' : `${n} more codes can be sent.`),
  signStep: 'Step 2 of 2',
  signHeading: 'Sign the quote',
  signLocked: 'Available once your identity is confirmed.',
  identityConfirmed: 'Identity confirmed.',
  sign: 'Sign',
  declineSummary: 'Decline the quote',
  declineExplain: 'The sender will be told that you declined. You may give a reason.',
  declineReason: 'Reason (optional)',
  decline: 'Decline',
  signedHeading: 'Quote signed',
  signedThanks: (n) => `Thank you: you signed the quote ${n}. The sender has been told.`,
  alreadySigned: (n) => `The quote ${n} has already been signed.`,
  downloadSigned: 'Download the signed quote (PDF)',
  declinedHeading: 'Quote declined',
  declinedText: (n, s) => `You declined the quote ${n}. ${s} has been told.`,
  footer: 'Electronic signature with SMS verification.',
  signersHeading: 'Signers',
  sequentialExplain: 'Each signs in turn, in the order below.',
  parallelExplain: 'Each can sign now, in any order.',
  you: (name) => `${name} (you)`,
  yourTurn: 'Your turn',
  signedOn: (date) => `Signed on ${date}`,
  invited: 'Invited, not signed yet',
  awaitingTurn: 'Awaiting their turn',
  declinedSigner: 'Declined',
  signedAwaitingOthers: (n) =>
    `Thank you: you signed the quote ${n}. The other signers are invited in their turn; the sender will be told once all have signed.`,
  downloadPartlySigned: 'Download the quote with the signatures made so far (PDF)',
};

export const signerTexts = (language: Language): SignerTexts => (language === 'en' ? en : fr);
