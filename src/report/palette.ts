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

/**
 * One colour per use of heat in every chart and the Sankey (a reader follows "blue = the network" across the
 * report): the allocation chart's series and the Sankey's nodes and the links into them.
 */
export const FLOW_COLORS: Readonly<Record<string, string>> = {
  "Network (sold)": COLORS.blue,
  Greenhouse: COLORS.green,
  Storage: COLORS.skyBlue,
  "Dry coolers": COLORS.grey,
  Chiller: COLORS.purple,
  "IT heat": COLORS.darkGrey,
  Electricity: COLORS.orange,
  "Heat pumps": COLORS.vermillion,
  "Hot loop": COLORS.black,
};

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
