import type { makeSigningApp } from '@paraphe/adapters/http';

type App = ReturnType<typeof makeSigningApp>;

/** A browser in miniature for `app.request`: keeps cookies, reads the CSRF field, posts forms, follows redirects. */
export const makeFormClient = (
  app: App,
  pagePath: string,
  headers: Readonly<Record<string, string>> = {},
) => {
  const cookies = new Map<string, string>();
  let csrf: string | undefined;
  const keepCookies = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/max-age=0/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const open = async (path = pagePath) => {
    const response = await app.request(path, { headers: { ...headers, cookie: cookieHeader() } });
    keepCookies(response);
    const html = await response.text();
    csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1] ?? csrf;
    return { response, html };
  };
  /** Posts a form as the page would; `csrf: null` leaves the field out, a string replaces it. */
  const post = async (
    action: 'code' | 'verify' | 'sign' | 'decline',
    fields: Readonly<Record<string, string>> = {},
    options: {
      readonly csrf?: string | null;
      readonly cookies?: boolean;
      readonly headers?: Record<string, string>;
    } = {},
  ) => {
    const form = new URLSearchParams(fields);
    const token = options.csrf === undefined ? csrf : options.csrf;
    if (token !== null && token !== undefined) form.set('csrf', token);
    const response = await app.request(`${pagePath}/${action}`, {
      method: 'POST',
      body: form,
      headers: {
        ...headers,
        'content-type': 'application/x-www-form-urlencoded',
        ...(options.cookies === false ? {} : { cookie: cookieHeader() }),
        ...options.headers,
      },
    });
    keepCookies(response);
    return response;
  };
  /** Posts, checks the redirect back to the page, and opens it. */
  const submit = async (
    action: 'code' | 'verify' | 'sign' | 'decline',
    fields: Readonly<Record<string, string>> = {},
  ) => {
    const response = await post(action, fields);
    if (response.status !== 303) throw new Error(`Expected 303 from ${action}, got ${response.status}`);
    return open(response.headers.get('location') ?? pagePath);
  };
  return { open, post, submit, cookies, csrf: () => csrf };
};
