import * as z from 'zod/mini';
import { ROLES, SessionUserSchema } from './common';

/** Response schemas of /api/admin itself: the session, the accounts, the server's health. */

export const UserResponse = z.object({ user: SessionUserSchema });

export const UsersResponse = z.object({ users: z.array(z.object({ id: z.number(), username: z.string(), role: z.enum(ROLES) })) });

export const HealthResponse = z.object({ storageFull: z.boolean(), since: z.nullable(z.number()) });
