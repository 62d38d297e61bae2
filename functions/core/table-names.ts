/** What a table is called: its number ("T-12", "Patio 3") and its floor ("Ground Floor"), as a manager types them. */
export const TABLE_NUMBER_MAX_LENGTH = 20;
export const TABLE_FLOOR_MAX_LENGTH = 40;

/** How table numbers compare for uniqueness in a restaurant: trimmed, any case ("t-1 " is "T-1"). */
export const tableNumberKey = (number: string): string => number.trim().toLowerCase();
