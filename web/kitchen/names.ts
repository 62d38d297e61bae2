/** Dish and station names in the kitchen's language (picked on the sign-in screen), else the restaurant's default language. */
import { signal } from '@preact/signals';
import { lang } from '../shared/i18n.ts';

/** Station → its name per language, from the board's load. */
export const stationNames = signal<Record<string, Record<string, string>>>({});
/** Floor → its name per language. */
export const floorNames = signal<Record<string, Record<string, string>>>({});

export const dishLabel = (item: { name: string; nameTranslations?: Record<string, string> }): string => item.nameTranslations?.[lang.value]?.trim() || item.name;

export const stationLabel = (station: string): string => stationNames.value[station]?.[lang.value]?.trim() || station;

export const floorLabel = (floor: string): string => floorNames.value[floor]?.[lang.value]?.trim() || floor;

export const modifierLabel = (name: string, translations: Record<string, string> | undefined): string => translations?.[lang.value]?.trim() || name;
