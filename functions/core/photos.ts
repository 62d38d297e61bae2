/**
 * Dish photos: where an upload may go, what it may be, and where its resized copies live.
 *
 * A manager's browser uploads the original straight to the media bucket with a presigned POST whose
 * policy pins one key (uploads/<restaurantId>/<itemId>/<128 random bits>), a size range and the type,
 * so an upload can land nowhere else and a key cannot be guessed. Committing the photo names that key;
 * the server accepts only a key of this restaurant and this dish. The resize function then writes the
 * served copies, square, at PHOTO_WIDTHS in WebP and JPEG, under media/ (served at /media/*), and the
 * dish keeps `photo: { path, width, height }`.
 */
import { DomainError } from './errors.ts';

/** What a browser may upload: what a phone's camera or a laptop gives. */
export const PHOTO_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoContentType = (typeof PHOTO_CONTENT_TYPES)[number];

/** An upload of at most 5 MB (a phone's JPEG is 2–4 MB); S3 refuses anything larger from the policy. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Sharp refuses a larger image before decoding it (a decompression bomb in a small file). */
export const PHOTO_MAX_PIXELS = 40_000_000;
/** The served widths: the menu's 88 px thumbnail at 2x, and the item sheet. Square crops. */
export const PHOTO_WIDTHS = [176, 480] as const;
/** Seconds a presigned POST stays valid. */
export const PHOTO_UPLOAD_SECONDS = 300;

/** The stored reference: files at `${path}-${width}.webp` / `.jpg`; width/height of the largest copy. */
export interface DishPhoto {
  /** `/media/menu/<restaurantId>/<itemId>/<id>` */
  path: string;
  width: number;
  height: number;
}

const ID = /^[a-f0-9]{32}$/;
const SAFE = /^[A-Za-z0-9_-]{1,64}$/;

export const uploadKeyOf = (restaurantId: string, itemId: string, id: string): string => `uploads/${restaurantId}/${itemId}/${id}`;

/** The bucket key prefix of a dish's served copies (CloudFront serves media/* at /media/*). */
export const mediaKeyOf = (restaurantId: string, itemId: string, id: string): string => `media/menu/${restaurantId}/${itemId}/${id}`;

/** The served files of one photo, largest last. */
export function photoFiles(mediaKey: string): { key: string; width: number; format: 'webp' | 'jpeg'; contentType: string }[] {
  return PHOTO_WIDTHS.flatMap((width) => [
    { key: `${mediaKey}-${width}.webp`, width, format: 'webp' as const, contentType: 'image/webp' },
    { key: `${mediaKey}-${width}.jpg`, width, format: 'jpeg' as const, contentType: 'image/jpeg' },
  ]);
}

/**
 * The photo id of an upload key, if the key is this restaurant's upload for this dish; otherwise a
 * 403 PHOTO_KEY_FORBIDDEN (another restaurant's or another dish's key, or a made-up one).
 */
export function photoIdOfUploadKey(key: string, restaurantId: string, itemId: string): string {
  const parts = key.split('/');
  if (parts.length === 4 && parts[0] === 'uploads' && parts[1] === restaurantId && parts[2] === itemId && ID.test(parts[3]) && SAFE.test(restaurantId)) {
    return parts[3];
  }
  throw new DomainError('PHOTO_KEY_FORBIDDEN', 'This upload is not one of this dish’s');
}

/** 413 before any URL is signed: S3 would refuse it anyway, after the whole upload. */
export function assertUploadSize(bytes: number): void {
  if (bytes > PHOTO_MAX_BYTES) {
    throw new DomainError('PHOTO_TOO_LARGE', `A photo may be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MB`, { details: { maxBytes: PHOTO_MAX_BYTES } });
  }
}

/** The resize function's answer. */
export type ResizeResult = { ok: true; width: number; height: number } | { ok: false; code: 'PHOTO_NOT_UPLOADED' | 'PHOTO_TOO_LARGE' | 'PHOTO_UNREADABLE' };

export const resizeErrorOf = (code: Exclude<ResizeResult, { ok: true }>['code']): DomainError =>
  new DomainError(
    code,
    code === 'PHOTO_NOT_UPLOADED'
      ? 'No photo was uploaded for this key (or the upload expired)'
      : code === 'PHOTO_TOO_LARGE'
        ? 'The photo is too large'
        : 'This file is not a JPEG, PNG or WebP image that can be read',
  );
