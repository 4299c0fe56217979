import { defineConfig } from "vitest/config";

/**
 * Two tiers, every test file in exactly one (the README says what each proves):
 * - fast (`npm test`): every unit test and the integration tests that prove behaviour in seconds, the daemon's
 *   core stepped in process among them;
 * - slow (`npm run test:slow`): what takes minutes — controller weeks, real processes with real watchdogs and
 *   SIGKILLs, hours of plant over sockets, Chromium, sweeps — and `determinism`, which runs alone after the rest
 *   (its busy-looping process must slow nothing else, and nothing else may load the machine it measures).
 * `npm run test:all` runs both; CI runs test:all.
 */
const SLOW = [
  "test/controllers-*.test.ts",
  "test/daemon-cli.test.ts",
  "test/daemon-crash.test.ts",
  "test/daemon-wire.test.ts",
  "test/sim-plant-cli.test.ts",
  "test/hmi-e2e.test.ts",
  "test/hmi-clear.test.ts",
  "test/hmi-failures.test.ts",
  "test/sweep.test.ts",
  "test/demo.test.ts",
  "test/cli.test.ts",
  "test/ops-cli.test.ts",
  "test/scenarios.test.ts",
  "test/bad-input.test.ts",
  "test/history-cli.test.ts",
  "test/plan.test.ts",
];
const ALONE = ["test/determinism.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // 2-core machine: two workers, so a heavy simulation test cannot starve the rest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "fast", include: ["src/**/*.test.ts", "test/**/*.test.ts"], exclude: [...SLOW, ...ALONE] } },
      { extends: true, test: { name: "slow", include: SLOW } },
      { extends: true, test: { name: "slow-alone", include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
