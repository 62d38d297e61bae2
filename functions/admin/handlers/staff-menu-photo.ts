/** A dish's photo (MANAGER, route table): sign an upload, commit it (resized), or remove it. */
import { menuRoutes } from '../../contract/menu.ts';
import { PHOTO_CONTENT_TYPES } from '../../core/photos.ts';
import { DomainError } from '../../core/errors.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { commitPhoto, removePhoto, startPhotoUpload } from '../menu-photos.ts';

const isPhotoType = (type: string): type is (typeof PHOTO_CONTENT_TYPES)[number] => (PHOTO_CONTENT_TYPES as readonly string[]).includes(type);

export const startUpload = staffRoute(menuRoutes.startPhotoUpload, async ({ staff, body, params }) => {
  if (!isPhotoType(body.contentType)) {
    throw new DomainError('PHOTO_TYPE_UNSUPPORTED', 'A photo must be a JPEG, PNG or WebP image', { details: { allowed: PHOTO_CONTENT_TYPES } });
  }
  return reply(await startPhotoUpload(staff, params.itemId, { contentType: body.contentType, size: body.size }), { status: 201 });
});

export const commit = staffRoute(menuRoutes.commitPhoto, async ({ staff, body, params, ip, userAgent }) =>
  commitPhoto(staff, params.itemId, body.key, { ip, userAgent }),
);

export const remove = staffRoute(menuRoutes.removePhoto, async ({ staff, params, ip, userAgent }) => removePhoto(staff, params.itemId, { ip, userAgent }));
