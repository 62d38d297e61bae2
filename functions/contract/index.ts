/**
 * The edge contract: zod schemas for every route's request and answer and every WebSocket message,
 * and the types inferred from them. The route table (functions/routes.ts) attaches each route's
 * contract; the web apps take their types from here (and functions/core), never from services.
 */
export * from './common.ts';
export * from './sessions.ts';
export * from './menu.ts';
export * from './cart.ts';
export * from './orders.ts';
export * from './bill.ts';
export * from './kitchen.ts';
export * from './staff.ts';
export * from './pushes.ts';
