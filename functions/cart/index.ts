/**
 * The cart slice: what other slices use of the guests' carts.
 * Other slices import it as a namespace (`import * as Cart from '../cart/index.ts'`), never its files.
 *
 * Its names read as the business does: `Cart.of(guest)`, `Cart.filterFor(guest)`, `Cart.reprice(...)`.
 */
export {
  cartFilterFor as filterFor,
  cartOwnerOf as ownerOf,
  cartViewOf as viewOf,
  getCartView as of,
  getCartViewFor as ofSocket,
  loadCartView as loadView,
  menuItemsByIds as menuItems,
} from './cart-views.ts';
export type { CartView as View } from './cart-views.ts';
export { refreshCart as reprice, refreshCartsContaining as repriceDishes } from './cart.ts';
