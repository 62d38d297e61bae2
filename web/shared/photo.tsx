/**
 * A dish photo (functions/core/photos.ts): WebP for browsers that take it, JPEG otherwise, at the
 * width that suits the screen's density. Lazy and decoded off the main thread, with its box sized up
 * front so nothing moves when it arrives.
 */
import type { DishPhoto } from '../../functions/core/photos.ts';
import { PHOTO_WIDTHS } from '../../functions/core/photos.ts';

const srcset = (path: string, ext: string) => PHOTO_WIDTHS.map((width) => `${path}-${width}.${ext} ${width}w`).join(', ');

export function DishPicture({ photo, size, class: className }: { photo: DishPhoto; size: number; class?: string }) {
  const sizes = `${size}px`;
  return (
    // Keyed by the photo: a new photo gets a fresh <img>, not one hidden by an earlier failure.
    <picture key={photo.path} class={className}>
      <source type="image/webp" srcset={srcset(photo.path, 'webp')} sizes={sizes} />
      {/* A photo that cannot load (a weak restaurant Wi-Fi) leaves its box empty, not a broken-image icon. */}
      <img
        src={`${photo.path}-${PHOTO_WIDTHS[0]}.jpg`}
        srcset={srcset(photo.path, 'jpg')}
        sizes={sizes}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        decoding="async"
        onError={(event) => (event.currentTarget.style.visibility = 'hidden')}
      />
    </picture>
  );
}
