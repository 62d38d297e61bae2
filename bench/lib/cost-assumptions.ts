/**
 * The cost model's inputs (bench/lib/cost-model.ts): AWS list prices, and the assumptions a laptop
 * cannot measure.
 */
import type { ArrivalShape } from './silence.ts';

/**
 * AWS list prices, US East (N. Virginia), on-demand, first tier, as published in 2025 (DynamoDB after the
 * November 2024 on-demand reduction). The stack's default region is ap-south-1 (Mumbai), whose prices
 * differ by a few percent to ~20% per service: check the pricing pages before quoting a customer.
 */
export const PRICES = {
  region: 'us-east-1 (US East, N. Virginia), list prices 2025, no free tier',
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillion: 1.0,
  wsPerMillionMessages: 1.0,
  wsPerMillionConnectionMinutes: 0.25,
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  cloudFrontPer10kHttpsRequests: 0.01,
  cloudFrontPerGb: 0.085,
  /** AWS WAF (the stack's web ACL, on by default: lib/waf.ts): per web ACL and per rule or rule group a month, and per million requests inspected. */
  wafWebAclMonthly: 5.0,
  wafPerRuleMonthly: 1.0,
  wafPerMillionRequests: 0.6,
  /** MongoDB Atlas is billed per cluster, not per request: a dedicated M10 on AWS, about $0.08/h. */
  atlasMonthlyUsd: 57,
  atlasTier: 'M10 dedicated cluster (~$0.08/h); the Flex tier starts lower but caps throughput',
};

/** Modelling assumptions the bench cannot measure on a laptop. */
export const ASSUMPTIONS = {
  phoneMinutesPerVisit: 60,
  /** Times a phone is put down and picked up again (page hidden → visible) during a visit. */
  guestWakesPerVisit: 4,
  kitchenTablets: 20,
  kitchenHoursPerDay: 12,
  /** Waiters' consoles (phones or tablets) signed in through service. */
  staffConsoles: 2,
  staffHoursPerDay: 12,
  /** Share of that time the console is on screen (a waiter's phone spends most of it in a pocket). */
  staffVisibleShare: 0.25,
  /** Each wake follows a spell in a pocket or a back tab (45 min an hour over 6 spells: 7.5 min each, longer than the console's hidden minute). */
  staffWakesPerHour: 6,
  ordersPerDay: 300,
  /**
   * Changes to what the menu shows in a day (a dish sold out and back, a price, a photo): a phone's
   * resync loads the menu again only when one came since its previous sync.
   */
  menuChangesPerDay: 10,
  /**
   * When the day's orders come (a socket pings only after a heartbeat without a push, so this sets
   * the kitchen's and the consoles' pings): open 11:00–23:00, 40 % of orders around a 13:15 lunch
   * peak (σ 45 min), 50 % around a 20:30 dinner peak (σ 60 min), 10 % spread over the day. Why: a
   * sit-down restaurant's covers come in the two meal services (an Indian city's lunch 12–15 h,
   * dinner 19:30–22:30), with quiet afternoons where the tablets hear nothing; an even spread of 300
   * orders (one every 2.4 min) would hide those silences and understate the pings.
   */
  orderArrivals: {
    openHour: 11,
    hours: 12,
    peaks: [
      { share: 0.4, peakHour: 13.25, sdMinutes: 45 },
      { share: 0.5, peakHour: 20.5, sdMinutes: 60 },
    ],
  } satisfies ArrivalShape,
  /**
   * A kitchen ping's round trip in AWS (API Gateway, the warm edge function's two DynamoDB updates and
   * one Query, the pongs posted): tablets whose 5 s silence checks fall this close after the first
   * one's ping also ping, before its shared pong reaches them. Set high for the figure to be safe.
   */
  pongRoundTripMs: 300,
  /** An order's kitchen and console pushes are spread over this long from placement (cooking, ready, bump). */
  ticketMinutes: 20,
  /** A phone hears its table's pushes (carts, its dishes' statuses) over the visit's first this many minutes; then the table eats and pays. */
  guestActiveMinutes: 35,
  /** Days of orders the silence model plays (seeded: every run models the same days). */
  modelledDays: 30,
  modelSeed: 18,
  /** API Gateway closes every WebSocket after 2 hours: a tablet or console on all day reconnects (and reloads) every 2 h. */
  maxConnectionHours: 2,
  /** Per phone visit: the diner app's initial transfer (bench/web.ts measures it) + API payloads. */
  bytesPerPhoneVisit: 150 * 1024,
  /** Each phone loads the HTML, the JS, the CSS and config.json through CloudFront. */
  staticRequestsPerPhoneVisit: 6,
  /**
   * New execution environments per serving function per day: opening, recycling through service,
   * bursts, and the rarely used functions starting cold on most calls. AWS bills the init phase.
   */
  coldStartsPerFunctionPerDay: 10,
  /** Lambda gives a whole vCPU at 1,769 MB and a proportional share below: module init (CPU-bound) takes ×(1769 / memory) locally measured time. */
  fullVcpuMemoryMb: 1769,
};
