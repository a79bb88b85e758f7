import type { Language, UserId } from '../shared/types.js';

export interface SmsCodePolicy {
  readonly digits: number;
  readonly validitySeconds: number;
  readonly maxWrongAttemptsPerCode: number;
  readonly resendCooldownSeconds: number;
  readonly maxCodesPerProcedure: number;
}

/** Who the follow-up action is for: the sender by default, or a fixed CRM user. */
export type FollowUpAssignee =
  | { readonly kind: 'sender' }
  | { readonly kind: 'user'; readonly userId: UserId };

export interface FollowUpAutomation {
  readonly enabled: boolean;
  /** Empty means the default title in the tenant's language. */
  readonly title: string;
  readonly assignee: FollowUpAssignee;
  readonly dueInDays: number;
}

export interface ReminderSettings {
  readonly enabled: boolean;
  readonly intervalDays: 1 | 2 | 7 | 14;
  readonly maxCount: number;
}

/** What an admin configures for one tenant (rule 0 and the decisions we add). */
export interface TenantSettings {
  readonly tenantName: string;
  readonly esignatureActive: boolean;
  readonly procedureLifetimeDays: number;
  readonly smsCode: SmsCodePolicy;
  /** ISO 3166 region used to read national mobile numbers (`FR`). */
  readonly defaultPhoneRegion: string;
  readonly language: Language;
  /** IANA zone in which dates are shown to people (`Europe/Paris`). */
  readonly timeZone: string;
  readonly followUp: FollowUpAutomation;
  readonly reminders: ReminderSettings;
}

export const defaultSmsCodePolicy: SmsCodePolicy = {
  digits: 6,
  validitySeconds: 5 * 60,
  maxWrongAttemptsPerCode: 3,
  resendCooldownSeconds: 30,
  maxCodesPerProcedure: 5,
};

/** The settings of a tenant no admin has touched: e-signature off, 15-day lifetime, French, follow-up on. */
export const defaultTenantSettings = (tenantName: string): TenantSettings => ({
  tenantName,
  esignatureActive: false,
  procedureLifetimeDays: 15,
  smsCode: defaultSmsCodePolicy,
  defaultPhoneRegion: 'FR',
  language: 'fr',
  timeZone: 'Europe/Paris',
  followUp: { enabled: true, title: '', assignee: { kind: 'sender' }, dueInDays: 2 },
  reminders: { enabled: false, intervalDays: 2, maxCount: 3 },
});

export const defaultFollowUpTitle = (language: Language, quoteNumber: string): string =>
  language === 'fr'
    ? `Vérifier la signature de l'offre ${quoteNumber}, puis la marquer gagnée`
    : `Check the signature of quote ${quoteNumber}, then mark it won`;
