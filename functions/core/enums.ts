/** The fixed vocabularies of menu, cart, order and payment, as the POS documented them. */
export const SPICE_LEVELS = ['no-spicy', 'less-spicy', 'regular', 'more-spicy'] as const;
export type SpiceLevel = (typeof SPICE_LEVELS)[number];

export const SESSION_MODES = ['FAMILY', 'INDIVIDUAL'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const ITEM_STATUSES = ['NEW', 'COOKING', 'READY', 'SERVED', 'CANCELLED'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ORDER_STATUSES = ['pending', 'confirmed', 'preparing', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ['CASH', 'CARD', 'UPI'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
