/**
 * The `media` function: resizes one uploaded dish photo (invoked by the staff-admin function when a
 * manager commits it, never by a route). Reads uploads/<…> from the media bucket, writes square
 * copies at PHOTO_WIDTHS in WebP and JPEG under media/<…> (immutable: each photo has a new id), and
 * deletes the upload. Answers { ok, width, height } or { ok: false, code } for a missing, too large
 * or unreadable upload; anything else is a function error.
 *
 * sharp is a native module: the stack copies its linux-arm64 build (from its own lockfile) into this function's bundle
 * (lib/bundling/sharp.ts); locally the machine's own build is used.
 */
import * as z from 'zod';
import { PHOTO_MAX_BYTES, PHOTO_WIDTHS, type ResizeResult } from '../../core/photos.ts';
import { resizePhoto } from '../photo-resize.ts';
import { mediaS3 } from '../../platform/media.ts';

const Request = z.strictObject({
  bucket: z.string().min(3).max(63),
  uploadKey: z.string().regex(/^uploads\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\/[a-f0-9]{32}$/),
  mediaKey: z.string().regex(/^media\/menu\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,64}\/[a-f0-9]{32}$/),
});

const LARGEST = PHOTO_WIDTHS[PHOTO_WIDTHS.length - 1];

export const resize = async (event: unknown): Promise<ResizeResult> => {
  const { bucket, uploadKey, mediaKey } = Request.parse(event);
  const { sdk, client } = await mediaS3();
  let original: Buffer;
  try {
    const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: uploadKey }));
    if ((object.ContentLength ?? 0) > PHOTO_MAX_BYTES) return { ok: false, code: 'PHOTO_TOO_LARGE' };
    original = Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return { ok: false, code: 'PHOTO_NOT_UPLOADED' };
    throw error;
  }
  if (original.length > PHOTO_MAX_BYTES) return { ok: false, code: 'PHOTO_TOO_LARGE' };

  const files = await resizePhoto(original, mediaKey);
  if (!Array.isArray(files)) return files;
  for (const file of files) {
    await client.send(
      new sdk.PutObjectCommand({ Bucket: bucket, Key: file.key, Body: file.body, ContentType: file.contentType, CacheControl: 'public, max-age=31536000, immutable' }),
    );
  }
  await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: uploadKey }));
  return { ok: true, width: LARGEST, height: LARGEST };
};
