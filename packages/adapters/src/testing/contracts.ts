/**
 * The contract suites of the adapters' ports, for a CRM to run against adapters of its own: each
 * `describe…Contract(name, makeFresh)` registers vitest tests on fixtures `makeFresh` gives, one per test.
 */
export {
  describeQuoteSourceContract,
  type FreshQuoteSource,
  quoteSourceContract,
} from '../crm/quote-source.contract.js';
export {
  describeMailerContract,
  type FreshMailer,
  mailerContract,
  type ReceivedEmail,
} from '../mail/mailer.contract.js';
export {
  describeSmsSenderContract,
  type FreshSmsSender,
  type ReceivedSms,
  smsSenderContract,
} from '../sms/sms-sender.contract.js';
export { describeStorageContract, type FreshStorage } from '../storage/storage.contract.js';
export {
  describeLifecycleNotifierContract,
  type FreshLifecycleNotifier,
  lifecycleNotifierContract,
  type ReceivedNotification,
} from '../webhook/lifecycle-notifier.contract.js';
export { type ContractCheck, type ContractFixture, describeContract } from './contract-suite.js';
