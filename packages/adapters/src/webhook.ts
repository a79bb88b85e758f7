/** `@paraphe/adapters/webhook`: the CRM webhook notifier, and the signature check for the CRM's receiving end. */
export * from './webhook/index.js';
