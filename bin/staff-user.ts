/**
 * Creates a staff user, or resets its role and password, in a restaurant's MongoDB: how the first
 * ADMIN of a new deployment signs in (the local runtime seeds its demo users itself).
 *
 *   MONGODB_URI='mongodb+srv://…' npm run staff-user -- --restaurant bistro --username owner --role ADMIN
 *
 * Options: --restaurant (the stack's slug), --username, --role ADMIN|MANAGER|WAITER|KITCHEN,
 * --db (default MONGODB_DB or plato). The password comes from STAFF_PASSWORD (at least 12
 * characters), or is generated and printed once. The collection name follows COLLECTION_USERS.
 * Updating an existing user (new role, new password, enabled again) ends its open sessions: its
 * tokenVersion is raised, so the tokens it holds are refused (its open sockets stay until they
 * reconnect: the CLI does not reach the WebSocket API).
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { hashPassword } from '../functions/auth/passwords.ts';
import { passwordProblem, USERNAME_PATTERN } from '../functions/core/staff-users.ts';
import { COLLECTION_DEFAULTS, collectionEnvVar } from '../functions/platform/config.ts';
import { STAFF_ROLES, type StaffRole } from '../functions/core/roles.ts';

export interface StaffUserInput {
  mongoUri: string;
  database: string;
  restaurantId: string;
  username: string;
  role: StaffRole;
  password: string;
}

/** Upserts the user by (restaurantId, username); returns whether it was created (else updated). */
export async function upsertStaffUser(input: StaffUserInput): Promise<{ created: boolean }> {
  const client = new MongoClient(input.mongoUri, { appName: 'plato-staff-user', serverSelectionTimeoutMS: 10_000 });
  try {
    const users = client.db(input.database).collection(process.env[collectionEnvVar('users')] || COLLECTION_DEFAULTS.users);
    const now = new Date();
    const result = await users.updateOne(
      { restaurantId: input.restaurantId, username: input.username },
      {
        $set: { role: input.role, passwordHash: await hashPassword(input.password), disabled: false, updatedAt: now },
        // A reset ends the sessions the user had (auth/staff-session.ts); a new user starts at 1.
        $inc: { tokenVersion: 1 },
        $setOnInsert: { restaurantId: input.restaurantId, username: input.username, createdAt: now },
      },
      { upsert: true },
    );
    return { created: result.upsertedCount === 1 };
  } finally {
    await client.close();
  }
}

function fail(message: string): never {
  console.error(`staff-user: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { restaurant: { type: 'string' }, username: { type: 'string' }, role: { type: 'string' }, db: { type: 'string' } },
  });
  const mongoUri = process.env.MONGODB_URI || fail('set MONGODB_URI (the connection string in the plato/<slug> secret)');
  const restaurantId = values.restaurant?.match(/^[a-z0-9-]{2,30}$/)?.[0] ?? fail('--restaurant <slug> is required (2-30 of a-z 0-9 -)');
  const username = values.username?.trim().match(USERNAME_PATTERN)?.[0] ?? fail('--username is required (1-64 letters, digits, . _ -)');
  const role = STAFF_ROLES.find((r) => r === values.role) ?? fail(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  const given = process.env.STAFF_PASSWORD;
  const problem = given === undefined ? undefined : passwordProblem(given);
  if (problem) fail(`STAFF_PASSWORD: ${problem}`);
  const password = given ?? randomBytes(12).toString('base64url');
  const database = values.db || process.env.MONGODB_DB || 'plato';
  const { created } = await upsertStaffUser({ mongoUri, database, restaurantId, username, role, password });
  console.log(`${created ? 'Created' : 'Updated'} ${role} ${username} for ${restaurantId} in ${database}.`);
  if (given === undefined) console.log(`Password (shown once): ${password}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => fail((error as Error).message));
}
