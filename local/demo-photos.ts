/**
 * The demo menu's photos, drawn: an SVG per dish (a plate on a table, with a food drawn by kind and
 * coloured by the dish's name) rendered by sharp into the served copies (functions/core/photos.ts),
 * written into the local media bucket at seed time. No image comes from the internet.
 * Rendered once per drawing into node_modules/.cache, so test stacks start quickly.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { MediaStore } from './media-store.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHOTO_WIDTHS, mediaKeyOf, photoFiles, type DishPhoto } from '../functions/core/photos.ts';

const CACHE = fileURLToPath(new URL('../node_modules/.cache/plato-demo-photos/', import.meta.url));

type Kind = 'curry' | 'skewers' | 'noodles' | 'rice' | 'bread' | 'fried' | 'sweet' | 'drink';

const KIND_BY_CATEGORY: Record<string, Kind> = {
  Starters: 'fried',
  'From the Tandoor': 'skewers',
  Curries: 'curry',
  'Wok & Noodles': 'noodles',
  'Rice & Breads': 'rice',
  'Desserts & Drinks': 'sweet',
};

function kindOf(name: string, category: string): Kind {
  if (/naan|roti/i.test(name)) return 'bread';
  if (/chai|soda|lassi/i.test(name)) return 'drink';
  if (/rice|biryani/i.test(name) && category !== 'Desserts & Drinks') return 'rice';
  return KIND_BY_CATEGORY[category] ?? 'curry';
}

const hue = (name: string, shift = 0) => (createHash('sha256').update(name).digest()[0] * 360) / 256 + shift;

function food(kind: Kind, name: string): string {
  const h = hue(name);
  const main = `hsl(${Math.round(h % 60) + 10} 75% 48%)`;
  const accent = `hsl(${Math.round(h % 40) + 90} 55% 38%)`;
  switch (kind) {
    case 'curry':
      return `<circle cx="240" cy="240" r="120" fill="${main}"/><path d="M170 230 q35 -40 70 0 t70 0" stroke="#fff8e0" stroke-width="10" fill="none" opacity=".8"/><circle cx="200" cy="290" r="9" fill="${accent}"/><circle cx="285" cy="275" r="7" fill="${accent}"/><circle cx="255" cy="190" r="8" fill="${accent}"/>`;
    case 'skewers':
      return [0, 1, 2]
        .map((i) => {
          const y = 175 + i * 65;
          return `<line x1="120" y1="${y}" x2="360" y2="${y + 10}" stroke="#8a6a3a" stroke-width="6"/>${[0, 1, 2, 3]
            .map((j) => `<rect x="${140 + j * 52}" y="${y - 20 + j * 2}" width="42" height="40" rx="12" fill="${main}" stroke="#5a2a0a" stroke-width="3"/>`)
            .join('')}`;
        })
        .join('');
    case 'noodles':
      return `<circle cx="240" cy="240" r="125" fill="#f3d9a0"/>${[0, 1, 2, 3, 4, 5]
        .map((i) => `<path d="M135 ${180 + i * 22} q26 -22 52 0 t52 0 t52 0 t52 0" stroke="#d9a441" stroke-width="7" fill="none"/>`)
        .join('')}<circle cx="205" cy="215" r="12" fill="${accent}"/><circle cx="280" cy="270" r="12" fill="${main}"/>`;
    case 'rice':
      return `<circle cx="240" cy="240" r="125" fill="#fbf3dc"/>${Array.from({ length: 40 }, (_, i) => {
        const a = i * 2.4;
        const r = 18 + (i * 97) % 95;
        return `<ellipse cx="${240 + Math.cos(a) * r}" cy="${240 + Math.sin(a) * r}" rx="9" ry="4" transform="rotate(${(i * 47) % 180} ${240 + Math.cos(a) * r} ${240 + Math.sin(a) * r})" fill="${i % 5 === 0 ? main : '#e9d9a8'}"/>`;
      }).join('')}`;
    case 'bread':
      return `<ellipse cx="240" cy="240" rx="140" ry="105" fill="#e8b96a" transform="rotate(-15 240 240)"/>${[0, 1, 2, 3, 4, 5, 6]
        .map((i) => `<circle cx="${170 + ((i * 53) % 150)}" cy="${190 + ((i * 37) % 110)}" r="${10 + (i % 3) * 4}" fill="#a5642a" opacity=".7"/>`)
        .join('')}`;
    case 'fried':
      return [0, 1, 2, 3]
        .map((i) => `<path d="M${160 + (i % 2) * 90} ${165 + Math.floor(i / 2) * 95} l70 10 l-40 65 z" fill="${main}" stroke="#8a4a10" stroke-width="5" stroke-linejoin="round"/>`)
        .join('') + `<circle cx="330" cy="330" r="26" fill="${accent}"/>`;
    case 'sweet':
      return [0, 1, 2]
        .map((i) => `<circle cx="${190 + i * 50}" cy="${225 + (i % 2) * 40}" r="44" fill="hsl(${Math.round(h % 30) + 15} 70% ${32 + i * 8}%)"/><circle cx="${178 + i * 50}" cy="${210 + (i % 2) * 40}" r="10" fill="#fff" opacity=".45"/>`)
        .join('');
    case 'drink':
      return `<path d="M185 130 h110 l-15 230 h-80 z" fill="${main}" opacity=".85" stroke="#fff" stroke-width="6"/><rect x="190" y="130" width="100" height="30" fill="#fff" opacity=".55"/><line x1="265" y1="95" x2="250" y2="180" stroke="${accent}" stroke-width="9" stroke-linecap="round"/>`;
  }
}

/** One dish's drawing, 480×480. */
export function demoPhotoSvg(name: string, category: string): string {
  const table = `hsl(${Math.round(hue(name, 180) % 360)} 30% 82%)`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480"><rect width="480" height="480" fill="${table}"/><circle cx="250" cy="252" r="190" fill="#000" opacity=".12"/><circle cx="240" cy="240" r="185" fill="#fdfdfb"/><circle cx="240" cy="240" r="150" fill="#f1f0ea"/>${food(kindOf(name, category), name)}</svg>`;
}

/**
 * Renders (or reads from the cache) a drawing's served copies and stores those the bucket does not
 * hold yet under the dish's media key; returns the dish's `photo`.
 */
export async function storeDemoPhoto(
  store: Pick<MediaStore, 'put' | 'holds'>,
  restaurantId: string,
  itemId: string,
  svg: string,
): Promise<DishPhoto> {
  const id = createHash('sha256').update(svg).digest('hex').slice(0, 32);
  const mediaKey = mediaKeyOf(restaurantId, itemId, id);
  mkdirSync(CACHE, { recursive: true });
  for (const file of photoFiles(mediaKey)) {
    const cached = path.join(CACHE, `${id}-${file.width}.${file.format}`);
    if (!existsSync(cached)) {
      const { default: sharp } = await import('sharp');
      const image = sharp(Buffer.from(svg)).resize(file.width, file.width);
      writeFileSync(cached, file.format === 'webp' ? await image.webp({ quality: 78 }).toBuffer() : await image.jpeg({ quality: 80, mozjpeg: true }).toBuffer());
    }
    // Keys are named by the drawing's hash: a copy stored whole is this one (a restart rewrites none).
    if (!store.holds(file.key, statSync(cached).size)) store.put(file.key, readFileSync(cached), file.contentType);
  }
  const largest = PHOTO_WIDTHS[PHOTO_WIDTHS.length - 1];
  return { path: `/${mediaKey}`, width: largest, height: largest };
}
