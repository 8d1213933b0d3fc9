/**
 * en-US number formatting with the formatters built once: `x.toLocaleString('en-US', …)` builds a new
 * Intl.NumberFormat on every call (~39× slower), which showed in profiles of large trees. Same output.
 */
const formatters = new Map<string, Intl.NumberFormat>();

/** `x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max })`; no options: the default. */
export function formatEnUs(x: number, min?: number, max?: number): string {
  const key = `${min}:${max}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', min === undefined && max === undefined ? undefined : { minimumFractionDigits: min, maximumFractionDigits: max });
    formatters.set(key, f);
  }
  return f.format(x);
}
