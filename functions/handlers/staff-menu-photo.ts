/** A dish's photo (MANAGER, route table): sign an upload, commit it (resized), or remove it. */
import * as z from 'zod';
import { PHOTO_CONTENT_TYPES } from '../core/photos.ts';
import { DomainError } from '../core/errors.ts';
import { reply } from '../http/route.ts';
import { idParams } from '../http/schemas.ts';
import { staffRoute } from '../http/staff-route.ts';
import { commitPhoto, removePhoto, startPhotoUpload } from '../services/menu-photos.ts';

const ItemParams = idParams('itemId');

const UploadBody = z.strictObject({
  contentType: z.string().max(100),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

const CommitBody = z.strictObject({ key: z.string().min(1).max(300) });

const isPhotoType = (type: string): type is (typeof PHOTO_CONTENT_TYPES)[number] => (PHOTO_CONTENT_TYPES as readonly string[]).includes(type);

export const startUpload = staffRoute({ body: UploadBody, params: ItemParams }, async ({ staff, body, params }) => {
  if (!isPhotoType(body.contentType)) {
    throw new DomainError('PHOTO_TYPE_UNSUPPORTED', 'A photo must be a JPEG, PNG or WebP image', { details: { allowed: PHOTO_CONTENT_TYPES } });
  }
  return reply(await startPhotoUpload(staff, params.itemId, { contentType: body.contentType, size: body.size }), { status: 201 });
});

export const commit = staffRoute({ body: CommitBody, params: ItemParams }, async ({ staff, body, params, ip, userAgent }) =>
  commitPhoto(staff, params.itemId, body.key, { ip, userAgent }),
);

export const remove = staffRoute({ params: ItemParams }, async ({ staff, params, ip, userAgent }) => removePhoto(staff, params.itemId, { ip, userAgent }));
