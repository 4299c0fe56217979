import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    // 2-core machine: two workers, so a heavy simulation test cannot starve the rest.
    maxWorkers: 2,
  },
});
