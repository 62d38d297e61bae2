/**
 * A kitchen tablet's own sign-in. Each tablet on the wall signs in itself; one sign-in holds at most
 * WS_MAX_SOCKETS_PER_STAFF sockets (5) and its oldest are closed past that, so 20 sockets on the
 * stack's cached KITCHEN login (`t.loginAs`) would leave 5 listening.
 */
import { TEST_PASSWORD, USERNAME_OF, type TestStack } from '../../test/support/stack.ts';

export async function signInTablet(t: Pick<TestStack, 'api'>): Promise<string> {
  const response = await t.api.post<{ token: string }>('/api/staff/login', { username: USERNAME_OF.KITCHEN, password: TEST_PASSWORD });
  if (response.status !== 200) throw new Error(`kitchen tablet sign-in: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}
