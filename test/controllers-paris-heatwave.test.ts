import { describe } from "vitest";
import { compareControllers } from "./controllers-compare.ts";

// Captured 0.872 on 2026-11-30.
describe("controllers compared on value_eur", () => compareControllers("simulations/paris-summer-heatwave-week.yaml", 0.8));
