/**
 * The carts' reads (`carts`): the cart a placement, a refusal or a view starts from. Every filter
 * the use cases pass names the restaurant (cart.ts's cartFilterFor).
 */
import type { Filter } from 'mongodb';
import type { CartDoc } from './documents.ts';
import { collections } from './mongo.ts';

export async function findCart(filter: Filter<CartDoc>): Promise<CartDoc | null> {
  const { carts } = await collections();
  return carts.findOne(filter);
}
