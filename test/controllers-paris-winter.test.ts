import { describe } from "vitest";
import { compareControllers } from "./controllers-compare.ts";

// Captured 1.003 on 2026-11-30: foresight is worth nothing when the heat pumps are source-limited all week.
describe("controllers compared on value_eur", () => compareControllers("simulations/paris-winter-week.yaml", 0.9));
