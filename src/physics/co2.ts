/** CO₂ factors and the avoided-emissions KPI (DESIGN §2). */

/** France 2023 average grid intensity, gCO₂/kWh. */
export const GRID_CO2_G_PER_KWH = 32;
/** French district-heating average, gCO₂/kWh of heat. */
export const DH_AVERAGE_CO2_G_PER_KWH = 116;
/** Marginal gas-fired network heat, gCO₂/kWh. */
export const DH_MARGINAL_GAS_CO2_G_PER_KWH = 250;

/**
 * Tonnes of CO₂ avoided: heat that displaced network production minus the grid
 * emissions of the electricity used to lift it. MWh × g/kWh = kg, hence / 1000.
 */
export function co2AvoidedT(p: {
  heatDisplacedMwh: number;
  electricityMwh: number;
  displacedGPerKwh: number;
  gridGPerKwh: number;
}): number {
  return (p.heatDisplacedMwh * p.displacedGPerKwh - p.electricityMwh * p.gridGPerKwh) / 1000;
}
