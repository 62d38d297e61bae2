/**
 * Ids as the API, the apps and the stores carry them. A MongoDB ObjectId travels as its hex string,
 * exactly as `ObjectId#toHexString()` writes it: 24 lower-case hex digits. Anything else is not an
 * id of ours (an unknown id, answered like one), never a value to hand to `new ObjectId()`.
 */

/** The ObjectId hex form, unanchored, for patterns that accept it among other forms. */
export const OBJECT_ID_HEX = '[a-f0-9]{24}';
export const OBJECT_ID_PATTERN = new RegExp(`^${OBJECT_ID_HEX}$`);

export const isObjectIdHex = (value: unknown): value is string => typeof value === 'string' && OBJECT_ID_PATTERN.test(value);
