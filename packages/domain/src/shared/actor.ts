import type { TenantId, UserId } from './types.js';

export type Role = 'admin' | 'user';

/** A CRM user acting in Paraphe; the CRM authenticates them and tells us who they are. */
export interface UserActor {
  readonly kind: 'user';
  readonly tenantId: TenantId;
  readonly userId: UserId;
  readonly role: Role;
}

/** Admins can do everything a user can, plus order credits and change settings. */
export const canAdminister = (actor: UserActor, tenantId: TenantId): boolean =>
  actor.tenantId === tenantId && actor.role === 'admin';

export const belongsTo = (actor: UserActor, tenantId: TenantId): boolean => actor.tenantId === tenantId;
