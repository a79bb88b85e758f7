import type { AdminUseCases, SenderUseCases, SignerUseCases, UserActor } from '@paraphe/domain';
import type { ClientAddress } from './request-context.js';
import type { SigningRateLimits } from './signing-rate-limits.js';

/** What the HTTP adapter needs: the domain's input ports and a few decisions only the host application can make. */
export interface SigningAppDeps {
  readonly signer: SignerUseCases;
  readonly sender: SenderUseCases;
  readonly admin: AdminUseCases;
  /** The CRM decides who calls `/api/…` (session cookie, bearer token…); `undefined` answers 401. */
  readonly authenticate: (request: Request) => Promise<UserActor | undefined>;
  /** Key of the signing page's anti-forgery values; at least 32 characters, the same on every instance. */
  readonly csrfSecret: string;
  /** Origins allowed to frame the signing page (CSP `frame-ancestors`); none by default. */
  readonly frameAncestors?: ReadonlyArray<string>;
  /** Limits on SMS code requests and verifications; the defaults suit one signer, raise them for load tests. */
  readonly rateLimits?: Partial<SigningRateLimits>;
  /** Development only: what `GET /_dev/outbox` answers (emails and SMS sent so far). Absent, the route does not exist. */
  readonly devOutbox?: () => unknown;
  /** The client's address for rate limits and the timeline; the socket's by default. */
  readonly clientAddress?: ClientAddress;
  /** Mark cookies `Secure`; by default they are, except when the page is served to a loopback host over http. */
  readonly secureCookies?: boolean;
  /** Told of every unexpected exception (the client sees a generic page); `console.error` by default. */
  readonly onError?: (error: unknown) => void;
}

// A CSP source list is joined into a header: a separator or a line break would let a value add its own directives.
const frameSource = /^('self'|'none'|https?:\/\/[A-Za-z0-9.*-]+(:\d{1,5})?|[A-Za-z0-9.*-]+(:\d{1,5})?)$/;

/** Checks the host application's configuration once, at start-up; a mistake there is a programming error. */
export const assertValidDeps = (deps: SigningAppDeps): void => {
  if (typeof deps.csrfSecret !== 'string' || deps.csrfSecret.length < 32)
    throw new Error('makeSigningApp: csrfSecret must have at least 32 characters');
  for (const source of deps.frameAncestors ?? [])
    if (!frameSource.test(source))
      throw new Error(`makeSigningApp: invalid frame ancestor ${JSON.stringify(source)}`);
};
