import { decodeWith, exactType, Text } from '@paraphe/domain';
import * as t from 'io-ts';

const UserActorCodec = exactType(
  {
    kind: t.literal('user'),
    tenantId: Text(200),
    userId: Text(200),
    role: t.union([t.literal('admin'), t.literal('user')]),
  },
  {},
  'UserActor',
);

/** The CRM says who acts; a malformed actor is `INVALID_INPUT`, never trusted. */
export const decodeActor = decodeWith(UserActorCodec);
