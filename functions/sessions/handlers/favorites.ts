/**
 * A returning guest's favourites (sessions/favorites.ts): GET lists the starred and most-ordered
 * dishes; PUT stars a dish, DELETE unstars it. Needs a device identified as a customer (else 422).
 */
import { sessionRoutes } from '../../contract/sessions.ts';
import { dinerRoute } from '../../http/diner-route.ts';
import { guestFavorites, setStar } from '../favorites.ts';

export const listFavorites = dinerRoute(sessionRoutes.listFavorites, async ({ guest }) => guestFavorites(guest));

export const starDish = dinerRoute(sessionRoutes.starDish, async ({ guest, params }) => setStar(guest, params.itemId, true));

export const unstarDish = dinerRoute(sessionRoutes.unstarDish, async ({ guest, params }) => setStar(guest, params.itemId, false));
