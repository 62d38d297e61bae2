/**
 * The demo restaurant for `npm start`: restaurant settings (normally created just before by the
 * setup task from the same values, see demo-restaurant.ts), 12 tables on two floors, a menu of 30
 * dishes and four staff logins. Idempotent: everything is upserted by its natural key, and what
 * staff may have edited since (menu, settings, tables) is only written when first inserted. The staff
 * logins are reset on every run (password, role, enabled), so the password printed at start is the one
 * that works.
 */
import { hashPassword, verifyPassword } from '../functions/auth/passwords.ts';
import { collections } from '../functions/data/mongo.ts';
import type { ModifierGroup, RestaurantDoc, SpiceLevel, TableDoc } from '../functions/data/documents.ts';
import { SPICE_LEVELS } from '../functions/data/documents.ts';
import { newTableCode } from '../functions/core/table-code.ts';
import { tableNumberKey } from '../functions/core/table-names.ts';
import { ensureTableCodes } from '../functions/sessions/table-codes.ts';
import { config } from '../functions/platform/config.ts';
import { openTableSession, regenerateSessionPin } from '../functions/sessions/table-sessions.ts';
import type { StaffRole } from '../functions/core/roles.ts';

import { demoPhotoSvg, storeDemoPhoto } from './demo-photos.ts';
import type { MediaStore } from './media-store.ts';
import { DEMO_RESTAURANT } from './demo-restaurant.ts';
import { DEMO_NAMES, demoHindi } from './demo-translations.ts';

export const DEMO_STATIONS = DEMO_RESTAURANT.stations;

export const DEMO_STAFF: readonly { username: string; role: StaffRole; displayName: string }[] = [
  { username: 'admin', role: 'ADMIN', displayName: 'Asha (Admin)' },
  { username: 'manager', role: 'MANAGER', displayName: 'Meera (Manager)' },
  { username: 'waiter', role: 'WAITER', displayName: 'Wasim (Waiter)' },
  { username: 'kitchen', role: 'KITCHEN', displayName: 'Kiran (Kitchen)' },
];

export interface DemoSession {
  sessionId: string;
  tableId: string;
  /** What the table's QR link carries (`dinerLink`). */
  tableCode: string;
  tableNumber: string;
  pin: string;
}

export interface SeedResult {
  restaurant: RestaurantDoc;
  /** T-1 … T-12, in floor order. */
  tables: TableDoc[];
  staff: { username: string; role: StaffRole }[];
  /** The open demo table session (on T-1) with its PIN, printed by `npm start`. */
  demoSession?: DemoSession;
}

const rupees = (amount: number): number => Math.round(amount * 100);

/** The dish's price is the half portion's; a full portion costs `fullExtra` rupees more. */
const portion = (fullExtra: number): ModifierGroup => ({
  groupId: 'portion',
  name: 'Portion',
  min: 1,
  max: 1,
  options: [
    { id: 'half', name: 'Half', price: 0 },
    { id: 'full', name: 'Full', price: rupees(fullExtra) },
  ],
});

const extras = (...options: [id: string, name: string, price: number][]): ModifierGroup => ({
  groupId: 'extras',
  name: 'Extras',
  min: 0,
  max: options.length,
  options: options.map(([id, name, price]) => ({ id, name, price: rupees(price) })),
});

const ALL_SPICE: SpiceLevel[] = [...SPICE_LEVELS];
const MILD_SPICE: SpiceLevel[] = ['no-spicy', 'less-spicy', 'regular'];

interface DemoDish {
  name: string;
  description: string;
  price: number; // rupees
  isVeg: boolean;
  station: (typeof DEMO_STATIONS)[number];
  modifierGroups?: ModifierGroup[];
  spiceLevels?: SpiceLevel[];
}

export const DEMO_MENU: readonly { category: string; dishes: DemoDish[] }[] = [
  {
    category: 'Starters',
    dishes: [
      { name: 'Vegetable Samosa', description: 'Crisp pastry filled with spiced potato and peas, with tamarind and mint chutneys.', price: 120, isVeg: true, station: 'FRYER', spiceLevels: MILD_SPICE },
      { name: 'Chilli Paneer', description: 'Cottage cheese tossed with peppers, spring onion and a sticky chilli-garlic glaze.', price: 160, isVeg: true, station: 'WOK', spiceLevels: ALL_SPICE, modifierGroups: [portion(100)] },
      { name: 'Korean Chicken Lollipop', description: 'Frenched chicken wings, double fried and glazed with gochujang and sesame.', price: 320, isVeg: false, station: 'FRYER', spiceLevels: ALL_SPICE },
      { name: 'Crispy Corn Pepper Salt', description: 'Sweet corn kernels fried crisp with cracked pepper, salt and curry leaves.', price: 210, isVeg: true, station: 'FRYER', spiceLevels: MILD_SPICE },
      { name: 'Prawn Tempura', description: 'Tiger prawns in a light tempura batter with a ponzu dipping sauce.', price: 420, isVeg: false, station: 'FRYER' },
    ],
  },
  {
    category: 'From the Tandoor',
    dishes: [
      { name: 'Paneer Tikka', description: 'Cottage cheese marinated in hung curd and spices, charred in the tandoor.', price: 170, isVeg: true, station: 'TANDOOR', spiceLevels: ALL_SPICE, modifierGroups: [portion(110)] },
      { name: 'Chicken Tikka', description: 'Boneless chicken thigh in a smoky red marinade, cooked on skewers.', price: 210, isVeg: false, station: 'TANDOOR', spiceLevels: ALL_SPICE, modifierGroups: [portion(130)] },
      { name: 'Tandoori Chicken', description: 'Bone-in chicken marinated overnight with Kashmiri chilli, lemon and ginger.', price: 220, isVeg: false, station: 'TANDOOR', spiceLevels: ALL_SPICE, modifierGroups: [portion(160)] },
      { name: 'Malai Broccoli', description: 'Broccoli florets in a creamy cheese and cardamom marinade, lightly charred.', price: 250, isVeg: true, station: 'TANDOOR', spiceLevels: MILD_SPICE },
      { name: 'Seekh Kebab', description: 'Minced lamb with green chilli and coriander, grilled on skewers.', price: 360, isVeg: false, station: 'GRILL', spiceLevels: ALL_SPICE },
    ],
  },
  {
    category: 'Curries',
    dishes: [
      { name: 'Butter Chicken', description: 'Tandoor-grilled chicken simmered in a velvety tomato, butter and fenugreek gravy.', price: 390, isVeg: false, station: 'GRILL', spiceLevels: MILD_SPICE, modifierGroups: [extras(['extra-gravy', 'Extra gravy', 60], ['cream', 'Extra cream', 40])] },
      { name: 'Paneer Butter Masala', description: 'Cottage cheese in a rich tomato and cashew gravy finished with butter.', price: 320, isVeg: true, station: 'GRILL', spiceLevels: MILD_SPICE, modifierGroups: [extras(['extra-gravy', 'Extra gravy', 60], ['cream', 'Extra cream', 40])] },
      { name: 'Dal Makhani', description: 'Black lentils slow-cooked overnight with butter and cream.', price: 260, isVeg: true, station: 'GRILL', spiceLevels: MILD_SPICE },
      { name: 'Lamb Rogan Josh', description: 'Kashmiri-style lamb curry with whole spices and Kashmiri chilli.', price: 450, isVeg: false, station: 'GRILL', spiceLevels: ALL_SPICE },
      { name: 'Thai Green Curry', description: 'Coconut green curry with Thai basil, bamboo shoots and seasonal vegetables.', price: 340, isVeg: true, station: 'WOK', spiceLevels: ALL_SPICE, modifierGroups: [extras(['tofu', 'Add tofu', 60], ['chicken', 'Add chicken', 90])] },
      { name: 'Japanese Katsu Curry Chicken', description: 'Panko-crumbed chicken cutlet with a mild Japanese curry sauce and pickles.', price: 420, isVeg: false, station: 'FRYER', spiceLevels: MILD_SPICE },
    ],
  },
  {
    category: 'Wok & Noodles',
    dishes: [
      { name: 'Vegetable Hakka Noodles', description: 'Wok-tossed noodles with cabbage, carrot, peppers and spring onion.', price: 240, isVeg: true, station: 'WOK', spiceLevels: ALL_SPICE, modifierGroups: [extras(['egg', 'Add egg', 40], ['chicken', 'Add chicken', 90])] },
      { name: 'Chicken Pad Thai', description: 'Rice noodles with tamarind, peanuts, bean sprouts and lime.', price: 360, isVeg: false, station: 'WOK', spiceLevels: ALL_SPICE },
      { name: 'Burnt Garlic Fried Rice', description: 'Jasmine rice fried with crisp garlic, spring onion and soy.', price: 250, isVeg: true, station: 'WOK', spiceLevels: MILD_SPICE, modifierGroups: [extras(['egg', 'Add egg', 40], ['prawns', 'Add prawns', 150])] },
      { name: 'Schezwan Chilli Chicken', description: 'Chicken tossed in fiery Schezwan sauce with dried red chillies.', price: 330, isVeg: false, station: 'WOK', spiceLevels: ['regular', 'more-spicy'] },
    ],
  },
  {
    category: 'Rice & Breads',
    dishes: [
      { name: 'Chicken Dum Biryani', description: 'Basmati rice and chicken layered with saffron and fried onions, sealed and slow-cooked.', price: 380, isVeg: false, station: 'GRILL', spiceLevels: ALL_SPICE, modifierGroups: [extras(['raita', 'Raita', 50], ['salan', 'Mirchi ka salan', 60])] },
      { name: 'Vegetable Biryani', description: 'Fragrant basmati rice with seasonal vegetables, mint and whole spices.', price: 300, isVeg: true, station: 'GRILL', spiceLevels: ALL_SPICE, modifierGroups: [extras(['raita', 'Raita', 50])] },
      { name: 'Butter Naan', description: 'Leavened bread from the tandoor, brushed with butter.', price: 70, isVeg: true, station: 'TANDOOR', modifierGroups: [{ groupId: 'style', name: 'Style', min: 1, max: 1, options: [{ id: 'plain', name: 'Plain', price: 0 }, { id: 'garlic', name: 'Garlic', price: rupees(20) }, { id: 'cheese', name: 'Cheese', price: rupees(50) }] }] },
      { name: 'Tandoori Roti', description: 'Whole-wheat flatbread baked in the tandoor.', price: 40, isVeg: true, station: 'TANDOOR' },
      { name: 'Steamed Jasmine Rice', description: 'A bowl of fluffy steamed jasmine rice.', price: 150, isVeg: true, station: 'WOK' },
    ],
  },
  {
    category: 'Desserts & Drinks',
    dishes: [
      { name: 'Gulab Jamun', description: 'Warm milk dumplings soaked in rose and cardamom syrup.', price: 140, isVeg: true, station: 'COLD', modifierGroups: [extras(['ice-cream', 'Vanilla ice cream', 60])] },
      { name: 'Mango Sticky Rice', description: 'Sweet coconut sticky rice with ripe mango and toasted sesame.', price: 220, isVeg: true, station: 'COLD' },
      { name: 'Masala Chai', description: 'Assam tea brewed with milk, ginger and cardamom.', price: 80, isVeg: true, station: 'BAR' },
      { name: 'Fresh Lime Soda', description: 'Fresh lime with soda, served sweet, salted or mixed.', price: 110, isVeg: true, station: 'BAR', modifierGroups: [{ groupId: 'style', name: 'Style', min: 1, max: 1, options: [{ id: 'sweet', name: 'Sweet', price: 0 }, { id: 'salted', name: 'Salted', price: 0 }, { id: 'mixed', name: 'Mixed', price: 0 }] }] },
      { name: 'Mango Lassi', description: 'Chilled yoghurt smoothie with Alphonso mango.', price: 150, isVeg: true, station: 'BAR' },
    ],
  },
];

const DEMO_FLOORS: readonly { floor: string; numbers: number[] }[] = [
  { floor: 'Ground Floor', numbers: [1, 2, 3, 4, 5, 6] },
  { floor: 'First Floor', numbers: [7, 8, 9, 10, 11, 12] },
];

export interface SeedOptions {
  /** The password of every demo staff login. */
  password: string;
  /** Open (or re-PIN) the demo session on T-1 (default true). */
  demoSession?: boolean;
  /** The media bucket the dishes' drawn photos go into (none when omitted). */
  media?: Pick<MediaStore, 'put' | 'holds'>;
}

export async function seedDemoRestaurant({ password, demoSession = true, media }: SeedOptions): Promise<SeedResult> {
  const { restaurantId } = config();
  const db = await collections();
  const now = new Date();

  await db.restaurants.updateOne(
    { _id: restaurantId },
    {
      $setOnInsert: {
        restaurantId,
        slug: restaurantId,
        name: DEMO_RESTAURANT.name,
        currency: DEMO_RESTAURANT.currency,
        taxRateBps: DEMO_RESTAURANT.taxRateBps,
        timeZone: DEMO_RESTAURANT.timeZone,
        locale: DEMO_RESTAURANT.locale,
        orderApproval: DEMO_RESTAURANT.orderApproval,
        upiVpa: DEMO_RESTAURANT.upiVpa,
        urgency: { ...DEMO_RESTAURANT.urgency },
        stations: [...DEMO_STATIONS],
        createdAt: now,
        updatedAt: now,
      },
    },
    { upsert: true },
  );

  // The Hindi names of categories, stations and floors, once: what a manager translated since is kept.
  await db.restaurants.updateOne(
    { _id: restaurantId, names: { $exists: false } },
    { $set: { names: DEMO_NAMES.map((entry) => ({ ...entry, translations: { ...entry.translations } })) } },
  );

  // One round trip per collection (a restart re-runs all of this), each upsert as before.
  let tableOrder = 0;
  await db.tables.bulkWrite(
    DEMO_FLOORS.flatMap(({ floor, numbers }) =>
      numbers.map((n) => {
        const sortOrder = ++tableOrder;
        return {
          updateOne: {
            filter: { restaurantId, number: `T-${n}` },
            // A new table has a code from the start, and never had an id link to keep working.
            update: { $setOnInsert: { restaurantId, number: `T-${n}`, numberKey: tableNumberKey(`T-${n}`), floor, sortOrder, code: newTableCode(), idLinkRetired: true, createdAt: now, updatedAt: now } },
            upsert: true,
          },
        };
      }),
    ),
  );

  let dishOrder = 0;
  await db.menuItems.bulkWrite(
    DEMO_MENU.flatMap(({ category, dishes }) =>
      dishes.map((dish) => {
        const sortOrder = ++dishOrder;
        const groups = dish.modifierGroups ?? [];
        const translations = demoHindi(dish.name, groups.map((group) => group.groupId), groups.flatMap((group) => group.options.map((option) => option.id)));
        return {
          updateOne: {
            filter: { restaurantId, name: dish.name },
            update: {
              $setOnInsert: {
                restaurantId,
                name: dish.name,
                description: dish.description,
                price: rupees(dish.price),
                category,
                isVeg: dish.isVeg,
                image: '',
                isAvailable: true,
                station: dish.station,
                modifierGroups: dish.modifierGroups ?? [],
                spiceLevels: dish.spiceLevels ?? [],
                sortOrder,
                ...(translations ? { translations } : {}),
                createdAt: now,
                updatedAt: now,
              },
            },
            upsert: true,
          },
        };
      }),
    ),
  );
  if (media) await seedDemoPhotos(media, restaurantId);

  await seedStaff(password, restaurantId, now);

  await ensureTableCodes(); // tables kept from a run before codes existed
  const restaurant = await db.restaurants.findOne({ _id: restaurantId });
  if (!restaurant) throw new Error(`Seeding failed: restaurant ${restaurantId} not found after upsert`);
  const tables = await db.tables.find({ restaurantId }).sort({ sortOrder: 1 }).toArray();
  return {
    restaurant,
    tables,
    staff: DEMO_STAFF.map(({ username, role }) => ({ username, role })),
    demoSession: demoSession ? await openDemoSession(tables[0]) : undefined,
  };
}

/**
 * The four demo logins with `password`, their roles, enabled. They share one password, so they share
 * one hash (one scrypt per start instead of four); when the stored logins already are exactly that
 * (data kept from an earlier run with the same password), nothing is written.
 */
async function seedStaff(password: string, restaurantId: string, now: Date): Promise<void> {
  const db = await collections();
  const users = await db.users
    .find({ restaurantId, username: { $in: DEMO_STAFF.map((user) => user.username) } }, { projection: { username: 1, role: 1, disabled: 1, passwordHash: 1 } })
    .toArray();
  const shared = users[0]?.passwordHash;
  const current =
    users.length === DEMO_STAFF.length &&
    users.every((user) => user.passwordHash === shared && user.disabled === false && user.role === DEMO_STAFF.find((demo) => demo.username === user.username)?.role) &&
    (await verifyPassword(password, shared!));
  if (current) return;
  const passwordHash = await hashPassword(password); // scrypt runs on the thread pool
  await db.users.bulkWrite(
    DEMO_STAFF.map((user) => ({
      updateOne: {
        filter: { restaurantId, username: user.username },
        update: {
          $set: { passwordHash, role: user.role, disabled: false, updatedAt: now },
          $setOnInsert: { restaurantId, username: user.username, displayName: user.displayName, createdAt: now },
        },
        upsert: true,
      },
    })),
  );
}

/** The demo dishes' drawn photos, except where a manager gave a dish another one (rewritten each start: the bucket may be new). */
async function seedDemoPhotos(media: NonNullable<SeedOptions['media']>, restaurantId: string): Promise<void> {
  const db = await collections();
  const categoryOf = new Map(DEMO_MENU.flatMap(({ category, dishes }) => dishes.map((dish) => [dish.name, category] as const)));
  const items = await db.menuItems
    .find({ restaurantId, name: { $in: [...categoryOf.keys()] }, deletedAt: { $exists: false } }, { projection: { _id: 1, name: 1, photo: 1 } })
    .toArray();
  const updates = [];
  for (const item of items) {
    const photo = await storeDemoPhoto(media, restaurantId, item._id.toHexString(), demoPhotoSvg(item.name, categoryOf.get(item.name)!));
    if (!item.photo || item.photo.path === photo.path) updates.push({ updateOne: { filter: { _id: item._id, restaurantId }, update: { $set: { photo, updatedAt: new Date() } } } }); // updatedAt: when the dish last changed
  }
  if (updates.length > 0) await db.menuItems.bulkWrite(updates);
}

/**
 * An open FAMILY session on the first table, opened by the demo waiter. A PIN is only ever known
 * when it is made, so when the table is already open (data kept from an earlier run) its PIN is
 * regenerated: tokens already issued stay valid, the old PIN stops working.
 */
async function openDemoSession(table: TableDoc): Promise<DemoSession> {
  const { restaurantId } = config();
  const db = await collections();
  const waiter = await db.users.findOne({ restaurantId, username: 'waiter' });
  if (!waiter) throw new Error('Seeding failed: the demo waiter is missing');
  const actor = { userId: waiter._id, username: waiter.username, role: waiter.role };
  const describe = (sessionId: string, pin: string): DemoSession => ({
    sessionId,
    tableId: table._id.toHexString(),
    tableCode: table.code!,
    tableNumber: table.number,
    pin,
  });
  const open = await db.tableSessions.findOne({ restaurantId, tableId: table._id, status: 'OPEN' }, { projection: { _id: 1 } });
  if (open) {
    const { pin } = await regenerateSessionPin(open._id, actor);
    return describe(open._id.toHexString(), pin);
  }
  const opened = await openTableSession({ tableId: table._id, mode: 'FAMILY', openedBy: actor });
  return describe(opened.sessionId, opened.pin);
}

/** The diner link printed (and QR-coded) by `npm start`: the table's code, as on its printed QR card. */
export const dinerLink = (baseUrl: string, tableCode: string): string => `${baseUrl}/?table=${encodeURIComponent(tableCode)}`;
