/** Okabe–Ito colour-blind-safe palette, plus neutrals. */
export const COLORS = {
  black: "#000000",
  orange: "#E69F00",
  skyBlue: "#56B4E9",
  green: "#009E73",
  yellow: "#F0E442",
  blue: "#0072B2",
  vermillion: "#D55E00",
  purple: "#CC79A7",
  grey: "#8C8C8C",
  darkGrey: "#4D4D4D",
} as const;

/** Colours for numbered series (heat pumps, Sankey nodes), in order: Okabe–Ito, then Tol's indigo and wine. */
export const SERIES_CYCLE: readonly string[] = [
  COLORS.blue,
  COLORS.vermillion,
  COLORS.green,
  COLORS.purple,
  COLORS.orange,
  COLORS.skyBlue,
  COLORS.darkGrey,
  COLORS.yellow,
  "#332288",
  "#882255",
];

export function cycleColor(index: number): string {
  const n = SERIES_CYCLE.length;
  return SERIES_CYCLE[((index % n) + n) % n] ?? COLORS.grey;
}
