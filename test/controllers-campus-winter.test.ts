import { describe } from "vitest";
import { compareControllers } from "./controllers-compare.ts";

// Captured 0.936 on 2026-11-30.
describe("controllers compared on value_eur", () => compareControllers("simulations/campus-winter-week.yaml", 0.9));
