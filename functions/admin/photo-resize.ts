/**
 * A dish photo's served copies, made by the `media` function (functions/admin/handlers/media.ts) from an
 * upload: the CPU part, apart from S3, so bench/media-resize.bench.ts times exactly this.
 */
import { PHOTO_MAX_PIXELS, photoFiles } from '../core/photos.ts';

export interface ResizedFile {
  key: string;
  body: Buffer;
  contentType: string;
}

/**
 * The served copies of an upload: square, at each of PHOTO_WIDTHS, in WebP and JPEG (the work the
 * function does on the CPU; bench/media-resize.bench.ts times it), or why the upload cannot be used.
 */
export async function resizePhoto(original: Buffer, mediaKey: string): Promise<ResizedFile[] | { ok: false; code: 'PHOTO_UNREADABLE' }> {
  const { default: sharp } = await import('sharp');
  try {
    const meta = await sharp(original, { limitInputPixels: PHOTO_MAX_PIXELS }).metadata();
    if (!['jpeg', 'png', 'webp'].includes(meta.format ?? '')) return { ok: false, code: 'PHOTO_UNREADABLE' };
    return await Promise.all(
      photoFiles(mediaKey).map(async (file) => {
        // rotate(): phones store the camera's orientation in EXIF; the copies are upright and carry no metadata.
        const image = sharp(original, { limitInputPixels: PHOTO_MAX_PIXELS }).rotate().resize(file.width, file.width, { fit: 'cover', position: 'attention' });
        const body = file.format === 'webp' ? await image.webp({ quality: 78 }).toBuffer() : await image.jpeg({ quality: 80, mozjpeg: true }).toBuffer();
        return { key: file.key, body, contentType: file.contentType };
      }),
    );
  } catch {
    return { ok: false, code: 'PHOTO_UNREADABLE' };
  }
}
