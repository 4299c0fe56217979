/** The controllers a simulation runs (DESIGN §3): a module of its own, so the CLI can list them without loading them. */
export const CONTROLLERS = ["rule", "mpc", "oracle"] as const;
