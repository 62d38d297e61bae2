/**
 * A manager gives a dish a photo in two steps (functions/core/photos.ts): `startPhotoUpload` signs a
 * POST for one fresh key of this restaurant and dish, the browser uploads the file straight to the
 * media bucket, and `commitPhoto` has the resize function write the served copies and puts them on
 * the dish, pushed live as `menu.updated`. Every read and write is scoped by restaurantId.
 */
import { randomBytes } from 'node:crypto';
import type { StaffPrincipal } from '../auth/principal.ts';
import { notFound } from '../core/errors.ts';
import {
  PHOTO_MAX_BYTES,
  assertUploadSize,
  mediaKeyOf,
  photoIdOfUploadKey,
  resizeErrorOf,
  uploadKeyOf,
  type DishPhoto,
  type PhotoContentType,
} from '../core/photos.ts';
import type { MenuItemDoc } from '../data/documents.ts';
import { findLiveDish, setDishPhoto } from '../data/menu-store.ts';
import { mediaBucket, presignPhotoUpload, resizePhoto, type PresignedPost } from '../platform/media.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { itemChangeOf, type MenuItemChange } from '../core/menu.ts';
import { announceChange, toObjectId } from './menu.ts';

export interface PhotoUpload {
  /** POST the file as the last field of a multipart form with these fields to this URL. */
  upload: PresignedPost;
  /** Name it in the commit. */
  key: string;
  maxBytes: number;
  expiresInSeconds: number;
}

async function liveItem(staff: StaffPrincipal, itemId: string): Promise<MenuItemDoc> {
  const item = await findLiveDish(staff.restaurantId, toObjectId(itemId));
  if (!item) throw notFound('Menu item');
  return item;
}

export async function startPhotoUpload(staff: StaffPrincipal, itemId: string, file: { contentType: PhotoContentType; size: number }): Promise<PhotoUpload> {
  assertUploadSize(file.size);
  const item = await liveItem(staff, itemId);
  const key = uploadKeyOf(staff.restaurantId, item._id.toHexString(), randomBytes(16).toString('hex'));
  return { upload: presignPhotoUpload(key, file.contentType), key, maxBytes: PHOTO_MAX_BYTES, expiresInSeconds: 300 };
}

export async function commitPhoto(staff: StaffPrincipal, itemId: string, key: string, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  const id = photoIdOfUploadKey(key, staff.restaurantId, itemId);
  const item = await liveItem(staff, itemId);
  const mediaKey = mediaKeyOf(staff.restaurantId, itemId, id);
  const result = await resizePhoto({ bucket: mediaBucket(), uploadKey: key, mediaKey });
  if (!result.ok) throw resizeErrorOf(result.code);
  const photo: DishPhoto = { path: `/${mediaKey}`, width: result.width, height: result.height };
  return setPhoto(staff, item, photo, origin);
}

export async function removePhoto(staff: StaffPrincipal, itemId: string, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  return setPhoto(staff, await liveItem(staff, itemId), undefined, origin);
}

async function setPhoto(staff: StaffPrincipal, item: MenuItemDoc, photo: DishPhoto | undefined, origin: RequestOrigin): Promise<MenuItemChange> {
  const after = await setDishPhoto(staff.restaurantId, item._id, photo, new Date());
  if (!after) throw notFound('Menu item');
  await announceChange(staff, origin, photo ? 'MENU_ITEM_PHOTO_SET' : 'MENU_ITEM_PHOTO_REMOVED', after);
  return itemChangeOf(after);
}
