/**
 * The demo restaurant's settings, as deployment configuration: the local stack passes them to the
 * `setup` task through the same environment variables a CDK deployment sets (RESTAURANT_NAME,
 * STATIONS, ...), and the seed uses the same values. No imports from functions/ here: the stack
 * reads this before the functions' environment exists.
 */
export const DEMO_RESTAURANT = {
  name: 'Plato Demo Kitchen',
  currency: 'INR',
  taxRateBps: 500,
  timeZone: 'Asia/Kolkata',
  locale: 'en-IN',
  orderApproval: 'auto',
  upiVpa: 'plato.demo@upi',
  urgency: { urgentMinutes: 10, criticalMinutes: 15 },
  stations: ['GRILL', 'FRYER', 'TANDOOR', 'BAR', 'COLD', 'WOK'],
} as const;

/** The environment the setup task reads to create the restaurant document (see functions/data/restaurant.ts). */
export const DEMO_RESTAURANT_ENV: Record<string, string> = {
  RESTAURANT_NAME: DEMO_RESTAURANT.name,
  CURRENCY: DEMO_RESTAURANT.currency,
  TAX_RATE_BPS: String(DEMO_RESTAURANT.taxRateBps),
  TIME_ZONE: DEMO_RESTAURANT.timeZone,
  LOCALE: DEMO_RESTAURANT.locale,
  ORDER_APPROVAL: DEMO_RESTAURANT.orderApproval,
  UPI_VPA: DEMO_RESTAURANT.upiVpa,
  STATIONS: DEMO_RESTAURANT.stations.join(','),
};
