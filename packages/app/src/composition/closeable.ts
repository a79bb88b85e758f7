/** Adapters that hold connections expose `close`; the facade closes them once. */
export interface Closeable {
  readonly close?: () => Promise<void> | void;
}
