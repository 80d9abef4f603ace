/**
 * A byte count for people: `"512 B"`, `"1.5 KiB"`, `"25 MiB"`.
 *
 * @param bytes A size in bytes.
 * @returns The size with a binary unit, at most one decimal.
 */
export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 ? String(value) : String(Number(value.toFixed(1)));
  return `${shown} ${units[unit]}`;
}
