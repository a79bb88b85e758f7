import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps nested templates and trusted constants as markup, and renders nothing for false, null and undefined', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(
      html`<div>${inner}${raw('<hr>')}${false}${null}${undefined}${[html`<br>`, '<']}${0}</div>`.value,
    ).toBe('<div><b>&lt;i&gt;</b><hr><br>&lt;0</div>');
  });

  it('escapes the backtick too', () => {
    expect(escapeHtml('`')).toBe('&#96;');
  });
});
