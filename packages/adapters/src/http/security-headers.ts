import type { MiddlewareHandler } from 'hono';
import { pageStyleHash } from './pages/page-style.js';

const policy = (frameAncestors: string): string =>
  [
    "default-src 'self'",
    `style-src ${pageStyleHash}`,
    "script-src 'none'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

/**
 * Headers on every response. Why each: the CSP runs no script and only our hashed style, so injected markup stays inert;
 * `frame-ancestors` stops click-jacking of the Sign button; `no-referrer` keeps the token in the URL from leaking to
 * other sites; `no-store` keeps signed documents and pages out of shared caches and the back-forward cache.
 */
export const securityHeaders = (frameAncestors: ReadonlyArray<string>): MiddlewareHandler => {
  const ancestors = frameAncestors.length === 0 ? "'none'" : frameAncestors.join(' ');
  const page = policy(ancestors);
  // The signer's PDF is framed by our own page, which may itself be framed by the allowed ancestors.
  const document = policy(["'self'", ...frameAncestors].join(' '));
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    const isDocument =
      headers.get('content-type') === 'application/pdf' && /\/sign\/[^/]+\/document$/.test(c.req.path);
    headers.set('Content-Security-Policy', isDocument ? document : page);
    headers.set('Referrer-Policy', 'no-referrer');
    headers.set('X-Content-Type-Options', 'nosniff');
    headers.set('Cache-Control', 'no-store');
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // For browsers without `frame-ancestors`; it cannot list origins, so it is left out when some are allowed.
    if (frameAncestors.length === 0) headers.set('X-Frame-Options', isDocument ? 'SAMEORIGIN' : 'DENY');
  };
};
