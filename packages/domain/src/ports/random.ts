/** The only source of randomness: tokens, codes and ids are drawn from it. */
export interface Random {
  /** `length` bytes from a cryptographically secure generator (a seeded one in tests). */
  readonly bytes: (length: number) => Uint8Array;
}
