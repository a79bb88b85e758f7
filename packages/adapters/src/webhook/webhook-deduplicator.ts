export interface WebhookDeduplicator {
  /** True when this event id was remembered before: a retry or a replay, to acknowledge without processing. */
  readonly seen: (eventId: string) => boolean;
  /** Records an event id once it has been processed. */
  readonly remember: (eventId: string) => void;
  readonly size: () => number;
}

/**
 * For CRM receivers: an in-memory set of processed event ids, bounded by `maxEntries`
 * (oldest forgotten first). It must remember ids at least as long as the signature
 * tolerance, after which `verifyWebhookSignature` rejects a replay by itself. A receiver
 * with several instances needs the same idea in its shared database.
 */
export const makeWebhookDeduplicator = (
  options: { readonly maxEntries?: number } = {},
): WebhookDeduplicator => {
  const maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 10_000));
  // A Set iterates in insertion order, so its first element is the oldest.
  const ids = new Set<string>();
  return {
    seen: (eventId) => ids.has(eventId),
    remember: (eventId) => {
      ids.delete(eventId);
      ids.add(eventId);
      while (ids.size > maxEntries) {
        const oldest = ids.values().next();
        if (oldest.done === true) break;
        ids.delete(oldest.value);
      }
    },
    size: () => ids.size,
  };
};
