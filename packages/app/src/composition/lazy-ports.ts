import {
  type CertificateRenderer,
  type DocumentSealer,
  type DocumentVerifier,
  domainError,
  type ErrorDetails,
  sealingError,
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

const notBuilt = (cause: unknown): ErrorDetails => ({
  reason: cause instanceof Error ? cause.message.slice(0, 200) : String(cause).slice(0, 200),
});

/**
 * The adapter, built at the first task that runs (never when a task is only made); a failure is SEALING_FAILURE, in
 * the port's own error type.
 */
const adapter = <P, E>(
  build: () => Promise<P>,
  failure: (details: ErrorDetails) => E,
): TE.TaskEither<E, P> => {
  const get = lazily(build);
  return TE.tryCatch(get, (cause) => failure(notBuilt(cause)));
};
const sealingFailure = (details: ErrorDetails) => sealingError('SEALING_FAILURE', details);

/** A DocumentSealer whose adapter (and the PDF library under it) is built when the first document is read. */
export const lazyDocumentSealer = (build: () => Promise<DocumentSealer>): DocumentSealer => {
  const sealer = adapter(build, sealingFailure);
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
  const renderer = adapter(build, sealingFailure);
  return {
    render: (data) =>
      pipe(
        renderer,
        TE.chain((built) => built.render(data)),
      ),
  };
};

export const lazyDocumentVerifier = (build: () => Promise<DocumentVerifier>): DocumentVerifier => {
  const verifier = adapter(build, (details) => domainError('SEALING_FAILURE', details));
  return {
    verify: (pdf, expected, certificate) =>
      pipe(
        verifier,
        TE.chain((built) => built.verify(pdf, expected, certificate)),
      ),
  };
};
