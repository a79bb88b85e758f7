/** Fields of a log line: ids and counts, never a secret (an SMS code, a link token or link, a key). */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Where operators read what Paraphe did, shaped like pino's logger (an object first, then a message), so a pino
 * instance can be given as it is. Silent unless the host gives one.
 */
export interface Logger {
  readonly info: (fields: LogFields, message: string) => void;
  readonly warn: (fields: LogFields, message: string) => void;
  readonly error: (fields: LogFields, message: string) => void;
}

/** The default: says nothing. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
