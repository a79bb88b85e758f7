export { type HttpSmsSenderConfig, makeHttpSmsSender, type SmsLogEntry } from './http-sms-sender.js';
export { smsCodeText } from './sms-code-text.js';
export { readTwilioResponse } from './twilio-response.js';
