/** Markup that is already safe to send: produced by `html`, or by `raw` on a trusted constant. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for an element body or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<HtmlValue>;

const render = (value: HtmlValue): string => {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
};

/**
 * Tagged template for pages. Why: every interpolated value (the quote number, the sender's name, a decline reason)
 * comes from the CRM or the signer and is escaped unless it is itself `SafeHtml`; `false`/`null`/`undefined` render
 * nothing, so `${cond && html`…`}` works.
 */
export const html = (strings: TemplateStringsArray, ...values: ReadonlyArray<HtmlValue>): SafeHtml =>
  new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));

/** Marks a trusted constant (never user data) as markup. */
export const raw = (trusted: string): SafeHtml => new SafeHtml(trusted);
