import { html, raw, type SafeHtml } from '../html.js';
import { pageStyle } from './page-style.js';

export interface LayoutInput {
  readonly lang: string;
  readonly title: string;
  readonly body: SafeHtml;
}

/** The frame of every page: language, viewport for phones, the hashed inline style, no script. */
export const layout = ({ lang, title, body }: LayoutInput): SafeHtml =>
  html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${raw(pageStyle)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
