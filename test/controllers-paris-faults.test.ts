import { describe } from "vitest";
import { compareControllers } from "./controllers-compare.ts";

// Captured 0.796 on 2026-11-30.
describe("controllers compared on value_eur", () => compareControllers("simulations/paris-winter-week-faults.yaml", 0.7));
