/**
 * The cart slice: what other slices use of the guests' carts.
 * Other slices import it as a namespace (`import * as Cart from '../cart/index.ts'`), never its files.
 *
 * The business names (`Cart.of(guest)`, `Cart.filterFor(guest)`, `Cart.reprice(...)`) are the ones to
 * use; the older names stay exported only while slices outside orders/cart/bill still read them.
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

export { cartFilterFor, cartOwnerOf, cartViewOf, getCartView, getCartViewFor, loadCartView, menuItemsByIds } from './cart-views.ts';
export type { CartView } from './cart-views.ts';
export { refreshCart, refreshCartsContaining } from './cart.ts';
