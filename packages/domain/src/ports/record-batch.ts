/** A stored record that did not decode (older data, a manual edit): named so that someone can look, never echoed. */
export interface UnreadableRecord {
  /** The table it is in. */
  readonly kind: 'procedure' | 'outbox-message';
  /** Its id in that table. */
  readonly id: string;
  /** Why it did not decode: the invalid fields, never their values (they may be personal data). */
  readonly reason: string;
}

/** What a sweep read: the records that decoded, and apart from them those that did not, so one never stops the rest. */
export interface RecordBatch<A> {
  /** The records that decoded, in the order the read promises. */
  readonly records: ReadonlyArray<A>;
  /** The rows that did not decode; a claim holds them like the others (their lease keeps them from the next claim). */
  readonly unreadable: ReadonlyArray<UnreadableRecord>;
}
