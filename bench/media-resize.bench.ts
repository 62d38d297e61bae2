/**
 * The media function's resize (functions/admin/photo-resize.ts, what functions/admin/handlers/media.ts
 * runs between reading the upload and writing the copies): a phone photo made here — 4032×3024
 * (12 MP, what most phone cameras take), drawn with gradients and shapes plus fine grain so it
 * compresses like a photograph, saved as a JPEG of quality 90 — resized to PHOTO_WIDTHS in WebP and
 * JPEG. One warm-up, then `runs` timed runs: median with min–max, and the size of every output.
 * No stock image is downloaded.
 *
 *   npx tsx bench/media-resize.bench.ts --runs=5
 */
import { PHOTO_WIDTHS } from '../functions/core/photos.ts';
import { resizePhoto } from '../functions/admin/photo-resize.ts';
import { median } from './lib/stats.ts';

export interface MediaResizeResult {
  input: { width: number; height: number; bytes: number; format: string };
  runs: number;
  ms: { median: number; min: number; max: number; samples: number[] };
  outputs: { file: string; bytes: number }[];
  sharp: { version: string; concurrency: number; simd: boolean };
}

const WIDTH = 4032;
const HEIGHT = 3024;

/** A 12 MP "photo": a plate on a table, with light falloff and sensor-like grain, as a quality-90 JPEG. */
export async function phonePhoto(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <defs>
      <radialGradient id="light" cx="40%" cy="35%" r="75%"><stop offset="0" stop-color="#d9b48a"/><stop offset="1" stop-color="#4a2e1c"/></radialGradient>
      <radialGradient id="plate" cx="50%" cy="45%" r="55%"><stop offset="0" stop-color="#fbf7f0"/><stop offset=".8" stop-color="#e8e0d2"/><stop offset="1" stop-color="#b9ae9c"/></radialGradient>
      <radialGradient id="food" cx="45%" cy="40%" r="60%"><stop offset="0" stop-color="#f2a23a"/><stop offset=".6" stop-color="#c0551d"/><stop offset="1" stop-color="#6e2a10"/></radialGradient>
    </defs>
    <rect width="100%" height="100%" fill="url(#light)"/>
    ${Array.from({ length: 40 }, (_, i) => `<rect x="0" y="${i * 76}" width="${WIDTH}" height="3" fill="#3a2214" opacity=".25"/>`).join('')}
    <ellipse cx="2016" cy="1560" rx="1500" ry="1150" fill="#2b1a10" opacity=".35"/>
    <ellipse cx="2016" cy="1512" rx="1420" ry="1080" fill="url(#plate)"/>
    <ellipse cx="2016" cy="1512" rx="900" ry="680" fill="url(#food)"/>
    ${Array.from({ length: 60 }, (_, i) => {
      const angle = (i / 60) * Math.PI * 2;
      const r = 300 + (i % 7) * 80;
      return `<circle cx="${2016 + Math.cos(angle) * r * 1.3}" cy="${1512 + Math.sin(angle) * r}" r="${40 + (i % 5) * 14}" fill="${i % 3 ? '#f6e7c8' : '#3f7d2a'}" opacity=".9"/>`;
    }).join('')}
  </svg>`;
  const grain = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 18 } } }).png().toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

export async function runMediaResizeBench(options: { runs?: number } = {}): Promise<MediaResizeResult> {
  const runs = Math.max(3, options.runs ?? 5);
  const { default: sharp } = await import('sharp');
  const photo = await phonePhoto();
  const meta = await sharp(photo).metadata();
  const mediaKey = 'media/menu/bench/dish/0123456789abcdef0123456789abcdef';
  const once = async () => {
    const started = performance.now();
    const files = await resizePhoto(photo, mediaKey);
    const ms = performance.now() - started;
    if (!Array.isArray(files)) throw new Error(`resize refused the photo: ${files.code}`);
    return { ms, files };
  };
  const warm = await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await once()).ms);
  const round = (ms: number) => Math.round(ms);
  return {
    input: { width: meta.width ?? 0, height: meta.height ?? 0, bytes: photo.length, format: meta.format ?? '?' },
    runs,
    ms: { median: round(median(samples)), min: round(Math.min(...samples)), max: round(Math.max(...samples)), samples: samples.map(round) },
    outputs: warm.files.map((file) => ({ file: file.key.slice(mediaKey.length + 1), bytes: file.body.length })),
    sharp: { version: sharp.versions.sharp ?? '?', concurrency: sharp.concurrency(), simd: sharp.simd() },
  };
}

export function printMediaResize(result: MediaResizeResult): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `Photo resize (bench/media-resize.bench.ts): a ${result.input.width}×${result.input.height} ${result.input.format} of ${kb(result.input.bytes)} → ${PHOTO_WIDTHS.join(' and ')} px, WebP + JPEG (sharp ${result.sharp.version}, ${result.sharp.concurrency} libvips threads)`,
    `  median ${result.ms.median} ms (min ${result.ms.min} – max ${result.ms.max}) over ${result.runs} runs after a warm-up`,
    `  outputs: ${result.outputs.map((o) => `${o.file} ${kb(o.bytes)}`).join(', ')}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv.find((arg) => arg.startsWith('--runs='))?.slice(7) ?? 5);
  console.log(printMediaResize(await runMediaResizeBench({ runs })));
}
