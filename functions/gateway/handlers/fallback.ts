/** The HTTP API's `$default` route: 405 when the path exists under another method, else 404. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HTTP_ROUTES } from '../../routes.ts';
import { errorResponse, toHttpError } from '../../http/errors-to-http.ts';
import { assertOrigin, ORIGIN_VERIFY_HEADER } from '../../http/origin.ts';

const routePatterns = HTTP_ROUTES.map((route) => ({
  method: route.method,
  pattern: new RegExp(`^${route.path.replace(/\{[^/]+\}/g, '[^/]+')}/?$`),
}));

export const notFound = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    await assertOrigin(event.headers?.[ORIGIN_VERIFY_HEADER]);
  } catch (error) {
    return toHttpError(error);
  }
  const path = event.rawPath ?? event.requestContext.http.path;
  const allowed = routePatterns.filter((route) => route.pattern.test(path)).map((route) => route.method);
  if (allowed.length > 0) {
    const response = errorResponse('METHOD_NOT_ALLOWED', `Use ${allowed.join(' or ')} for this path`, { allowed });
    return { ...response, headers: { ...response.headers, allow: allowed.join(', ') } };
  }
  return errorResponse('NOT_FOUND', 'There is nothing at this address');
};
