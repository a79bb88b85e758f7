/** The only source of time: use cases read `now()` once and pass it to pure functions. */
export interface Clock {
  /** The current instant; a test clock returns the same value until advanced. */
  readonly now: () => Date;
}
