import {
  type AsyncLifecycleNotifier,
  type AsyncQuoteSource,
  fromAsyncNotifier,
  fromAsyncQuoteSource,
} from './async-ports.js';
import { createParaphe, type ParapheOptions } from './create-paraphe.js';
import { type ParapheAsync, type Result, toParapheAsync, toResult } from './promise-facade.js';

export interface ParapheAsyncOptions extends Omit<ParapheOptions, 'crm' | 'notifier'> {
  /** The CRM as plain async functions: lookups resolve to the value or `null`. */
  readonly crm: AsyncQuoteSource;
  readonly notifier?: AsyncLifecycleNotifier;
}

/**
 * `createParaphe` for code written with async/await: the CRM's functions return promises, and every call of the
 * facade resolves to `{ ok: true, value } | { ok: false, error }` — a business outcome never rejects.
 */
export const createParapheAsync = async (options: ParapheAsyncOptions): Promise<Result<ParapheAsync>> => {
  const { crm, notifier, ...rest } = options;
  const created = await createParaphe({
    ...rest,
    crm: fromAsyncQuoteSource(crm),
    ...(notifier === undefined ? {} : { notifier: fromAsyncNotifier(notifier) }),
  });
  const result = toResult(created);
  return result.ok ? { ok: true, value: toParapheAsync(result.value) } : result;
};
