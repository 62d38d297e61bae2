/**
 * Beeps with the Web Audio API. Browsers keep audio locked until the user touches the page, so the
 * first tap anywhere unlocks it (`unlockAudio`); until then `audioReady` is false and the screen
 * offers a "Tap to enable sound" button.
 */
import { signal } from '@preact/signals';

export const audioReady = signal(false);

let context: AudioContext | undefined;

export function unlockAudio(): void {
  try {
    const Ctor = globalThis.AudioContext ?? (globalThis as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    context ??= new Ctor();
    if (context.state === 'suspended') void context.resume().then(() => (audioReady.value = context?.state === 'running'));
    else audioReady.value = context.state === 'running';
  } catch {
    /* no audio on this device: the screen still works */
  }
}

function tone(frequency: number, startAt: number, durationS: number, volume: number): void {
  if (!context) return;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'square';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, startAt);
  gain.gain.exponentialRampToValueAtTime(volume, startAt + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, startAt + durationS);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(startAt);
  oscillator.stop(startAt + durationS + 0.02);
}

/** A new ticket: two short rising tones. */
export function beepNewTicket(): void {
  if (!context || context.state !== 'running') return;
  const t = context.currentTime;
  tone(880, t, 0.15, 0.25);
  tone(1320, t + 0.18, 0.2, 0.25);
}

/** Connection lost: three low tones. */
export function beepAlarm(): void {
  if (!context || context.state !== 'running') return;
  const t = context.currentTime;
  for (let i = 0; i < 3; i++) tone(330, t + i * 0.3, 0.22, 0.35);
}
