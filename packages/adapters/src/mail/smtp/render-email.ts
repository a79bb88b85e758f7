import type { OutgoingEmail } from '@paraphe/domain';
import type { EmailTemplate, EmailTemplates } from './email-template.js';
import { templatesEn } from './templates-en.js';
import { templatesFr } from './templates-fr.js';

export const defaultEmailTemplates: EmailTemplates = { fr: templatesFr, en: templatesEn };

export interface RenderedEmail {
  readonly text: string;
  /** Absent when the email is sent as given (`email.text` only). */
  readonly html?: string;
}

type Values = Readonly<Record<string, string>>;

const htmlEntities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);

const placeholder = /\{(\w+)\}/g;

/** The line with its `{key}`s filled, or `undefined` when one of them was not given. */
const fill = (line: string, values: Values): string | undefined => {
  let missing = false;
  const filled = line.replace(placeholder, (_, key: string) => {
    const value = values[key];
    if (value === undefined || value.trim() === '') missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
};

// Only web links may become an href: a `javascript:` or `data:` value would run in some clients.
const webLink = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
};

const present = (lines: ReadonlyArray<string | undefined>): ReadonlyArray<string> =>
  lines.filter((l): l is string => l !== undefined);

const renderWith = (template: EmailTemplate, values: Values, lang: string): RenderedEmail | undefined => {
  const link = template.action === undefined ? undefined : webLink(values[template.action.key]);
  if (template.action?.required === true && link === undefined) return undefined;
  const heading = fill(template.heading, values);
  const paragraphs = present(template.paragraphs.map((p) => fill(p, values)));
  const action =
    template.action !== undefined && link !== undefined ? { ...template.action, link } : undefined;

  const text = present([
    heading,
    ...paragraphs,
    action === undefined ? undefined : `${action.label}\n${action.link}`,
    template.footer,
  ]).join('\n\n');

  // A sender's message keeps its line breaks.
  const p = (s: string) => `<p style="margin:0 0 16px">${escapeHtml(s).replace(/\r?\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(heading ?? '')}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#222;max-width:600px">',
    heading === undefined ? '' : `<h1 style="font-size:20px">${escapeHtml(heading)}</h1>`,
    ...paragraphs.map(p),
    action === undefined
      ? ''
      : `<p style="margin:24px 0"><a href="${escapeHtml(action.link)}" style="background:#1a56db;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">${escapeHtml(action.label)}</a></p>` +
        `<p style="font-size:13px;color:#555">${escapeHtml(action.link)}</p>`,
    `<p style="font-size:12px;color:#777">${escapeHtml(template.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { text, html };
};

/**
 * The bodies to send: the template of the email's kind and language filled with
 * `email.template` (HTML-escaped), or `email.text` as given when there are no template
 * values or when a required link is missing or is not a web link.
 */
export const renderEmail = (
  email: OutgoingEmail,
  templates: EmailTemplates = defaultEmailTemplates,
): RenderedEmail => {
  const values = email.template;
  if (values === undefined || Object.keys(values).length === 0) return { text: email.text };
  const template = templates[email.language]?.[email.kind];
  if (template === undefined) return { text: email.text };
  return renderWith(template, values, email.language) ?? { text: email.text };
};
