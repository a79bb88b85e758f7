/** `@paraphe/adapters/twilio`: the SMS sender for Twilio's Messages API shape, over `fetch`. */
export * from './sms/http/index.js';
