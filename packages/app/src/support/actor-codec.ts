import { decodeWith, Text } from '@paraphe/domain';
import * as t from 'io-ts';

const UserActorCodec = t.type({
  kind: t.literal('user'),
  tenantId: Text(200),
  userId: Text(200),
  role: t.union([t.literal('admin'), t.literal('user')]),
});

/** The CRM says who acts; a malformed actor is `INVALID_INPUT`, never trusted. */
export const decodeActor = decodeWith(UserActorCodec);
