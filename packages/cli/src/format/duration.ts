/**
 * @module Durations for people: dialog `duration` is in seconds (core draft §4.3.4), shown as m:ss.
 */

/** `75` → `1:15`, `3725.4` → `1:02:05`; anything that is not a non-negative number → `?`. */
export function formatDuration(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '?'
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}
