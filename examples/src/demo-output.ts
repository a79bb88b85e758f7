import type { DomainError, ProcedureView } from '@paraphe/domain';

const time = (at: Date) => at.toISOString().replace('T', ' ').slice(0, 19);

export const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export const step = (title: string): void => say(`\n▶ ${title}`);

/** An error as a person reads it: the stable code, then the French and English messages, then each reason. */
export const describeError = (error: DomainError): string =>
  [
    `  ✗ ${error.code} — ${error.message.fr} / ${error.message.en}`,
    ...(error.reasons ?? []).map(
      (reason) => `      • ${reason.code}: ${reason.message.fr} / ${reason.message.en}`,
    ),
  ].join('\n');

export const describeTimeline = (view: ProcedureView): string =>
  view.timeline
    .map((event) => {
      const where = [event.ip, event.userAgent].filter((part) => part !== undefined).join(', ');
      const data = Object.entries(event.data)
        .filter(([key]) => key !== 'consentText')
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(' ');
      return `  ${String(event.sequence).padStart(2)}  ${time(event.at)}Z  ${event.actor.padEnd(6)}  ${event.type.padEnd(24)} ${data}${where === '' ? '' : `  [${where}]`}`;
    })
    .join('\n');
