import {
  type CertificateRenderer,
  type DocumentSealer,
  type DocumentVerifier,
  type DomainError,
  domainError,
} from '@paraphe/domain';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';

/** `build` run once, at the first call, its promise shared; a failure is not kept, so a later call tries again. */
export const lazily = <A>(build: () => Promise<A>): (() => Promise<A>) => {
  let built: Promise<A> | undefined;
  return () => {
    built ??= build().catch((cause: unknown) => {
      built = undefined;
      throw cause;
    });
    return built;
  };
};

const notBuilt = (cause: unknown): DomainError =>
  domainError('SEALING_FAILURE', {
    reason: cause instanceof Error ? cause.message.slice(0, 200) : String(cause).slice(0, 200),
  });

/** The adapter, built at the first task that runs (never when a task is only made); a failure is SEALING_FAILURE. */
const adapter = <P>(build: () => Promise<P>): TE.TaskEither<DomainError, P> => {
  const get = lazily(build);
  return TE.tryCatch(get, notBuilt);
};

/** A DocumentSealer whose adapter (and the PDF library under it) is built when the first document is read. */
export const lazyDocumentSealer = (build: () => Promise<DocumentSealer>): DocumentSealer => {
  const sealer = adapter(build);
  return {
    inspect: (document) =>
      pipe(
        sealer,
        TE.chain((built) => built.inspect(document)),
      ),
    seal: (request) =>
      pipe(
        sealer,
        TE.chain((built) => built.seal(request)),
      ),
  };
};

export const lazyCertificateRenderer = (build: () => Promise<CertificateRenderer>): CertificateRenderer => {
  const renderer = adapter(build);
  return {
    render: (data) =>
      pipe(
        renderer,
        TE.chain((built) => built.render(data)),
      ),
  };
};

export const lazyDocumentVerifier = (build: () => Promise<DocumentVerifier>): DocumentVerifier => {
  const verifier = adapter(build);
  return {
    verify: (pdf, expected, certificate) =>
      pipe(
        verifier,
        TE.chain((built) => built.verify(pdf, expected, certificate)),
      ),
  };
};
