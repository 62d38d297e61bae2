/**
 * Every route contract by id, for what reads the whole API at once: docs/openapi.json
 * (bin/openapi-document.ts) and the tests. Functions never import this: the route table
 * (functions/routes.ts) names contracts by id, typed from here, and each handler imports only its own.
 */
import { billRoutes } from './bill.ts';
import { cartRoutes } from './cart.ts';
import { route, routeContracts, type IdentifiedContract } from './common.ts';
import { kitchenRoutes } from './kitchen.ts';
import { menuRoutes } from './menu.ts';
import { orderRoutes } from './orders.ts';
import { sessionRoutes } from './sessions.ts';
import { staffRoutes } from './staff.ts';

/** API Gateway's `$default` route (gateway/handlers/fallback.ts), which validates nothing. */
export const edgeRoutes = routeContracts('edge', {
  notFound: route({ summary: 'Any other request: 405 when the path exists under another method, else 404' }),
});

const MODULES = [sessionRoutes, menuRoutes, cartRoutes, orderRoutes, billRoutes, kitchenRoutes, staffRoutes, edgeRoutes];

type ContractsOf<M> = M extends Record<string, infer C> ? C : never;
type AnyModule = (typeof MODULES)[number];

/** A route contract's id, `<module>.<name>`, e.g. `cart.addItem`. */
export type RouteContractId = ContractsOf<AnyModule>['id'];

export const ROUTE_CONTRACTS: ReadonlyMap<RouteContractId, IdentifiedContract> = new Map(
  MODULES.flatMap((module) => Object.values(module).map((contract: IdentifiedContract) => [contract.id as RouteContractId, contract])),
);

/** The contract of an id; throws on an unknown one (the route table's ids are typed, so only a cast gets here). */
export function contractOf(id: string): IdentifiedContract {
  const contract = ROUTE_CONTRACTS.get(id as RouteContractId);
  if (!contract) throw new Error(`No route contract has the id ${id}`);
  return contract;
}
