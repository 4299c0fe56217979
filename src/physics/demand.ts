/** District-heating network demand (DESIGN §2): heating signature + hot water, hour-of-week shaped. */

export interface DemandSpec {
  designKw: number;
  designOutdoorC: number;
  baseC: number;
  hotWaterKw: number;
  /** 168 values, Monday 00h local first, mean 1. Absent ⇒ flat (all 1). */
  hourOfWeekFactors?: number[];
}

/** Paris monthly mean temperatures (°C, Jan…Dec), before any climate shift. */
export const PARIS_MONTHLY_MEANS_C = [3.4, 4.1, 7.6, 10.7, 14.3, 17.5, 19.1, 18.7, 16.0, 11.4, 7.1, 4.3];

/**
 * Space-heating load, linear in (Tbase − Tout) below the base temperature. Not capped
 * at the design temperature: a colder-than-design day really does need more heat,
 * and capping would hide it from the controller.
 */
export function heatingSignatureKw(spec: DemandSpec, outdoorTempC: number): number {
  const span = spec.baseC - spec.designOutdoorC;
  if (span <= 0) throw new RangeError(`baseC (${spec.baseC}) must be above designOutdoorC (${spec.designOutdoorC})`);
  return (spec.designKw * Math.max(0, spec.baseC - outdoorTempC)) / span;
}

export function networkDemandKw(spec: DemandSpec, outdoorTempC: number, hourOfWeek: number): number {
  const factors = spec.hourOfWeekFactors;
  let factor = 1;
  if (factors !== undefined) {
    if (factors.length !== 168) throw new RangeError(`hourOfWeekFactors needs 168 values, got ${factors.length}`);
    const i = ((Math.floor(hourOfWeek) % 168) + 168) % 168;
    factor = factors[i] ?? 1;
  }
  return (heatingSignatureKw(spec, outdoorTempC) + spec.hotWaterKw) * factor;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Heating degree-days by the monthly-mean method: Σ days·max(0, base − mean). */
export function degreeDays(monthlyMeansC: number[], baseC: number, year?: number): number {
  if (monthlyMeansC.length !== 12) throw new RangeError(`need 12 monthly means, got ${monthlyMeansC.length}`);
  let total = 0;
  for (let m = 0; m < 12; m++) {
    const days = (DAYS_IN_MONTH[m] ?? 30) + (m === 1 && year !== undefined && isLeap(year) ? 1 : 0);
    total += days * Math.max(0, baseC - (monthlyMeansC[m] ?? baseC));
  }
  return total;
}

/**
 * Residential hour-of-week shape (assumed): night setback, a morning peak (showers,
 * heating recovery) at 07–08h on weekdays and 09–10h at weekends, a softer evening
 * peak at 19–21h. Normalised to mean 1 so it scales energy, not just shape.
 */
export function defaultHourOfWeekFactors(): number[] {
  const weekday = [
    0.78, 0.76, 0.75, 0.75, 0.78, 0.9, 1.15, 1.3, 1.25, 1.1, 1.0, 0.98,
    1.0, 0.96, 0.94, 0.94, 0.98, 1.05, 1.15, 1.2, 1.18, 1.08, 0.95, 0.85,
  ];
  const weekend = [
    0.8, 0.78, 0.76, 0.75, 0.75, 0.78, 0.85, 0.98, 1.15, 1.25, 1.22, 1.1,
    1.05, 1.0, 0.98, 0.98, 1.0, 1.06, 1.14, 1.18, 1.16, 1.08, 0.97, 0.87,
  ];
  const raw: number[] = [];
  for (let d = 0; d < 7; d++) raw.push(...(d < 5 ? weekday : weekend));
  const mean = raw.reduce((s, x) => s + x, 0) / raw.length;
  return raw.map((x) => x / mean);
}
