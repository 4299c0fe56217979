/** DESIGN §8: each role has the rights of those before it. */
export type Role = "viewer" | "operator" | "engineer" | "admin";
export const ROLES: readonly Role[] = ["viewer", "operator", "engineer", "admin"];

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** How far ahead an override may expire: a day for operators (a shift hands over), a week for engineers (a campaign). */
export function maxOverrideMs(role: Role): number {
  return atLeast(role, "engineer") ? 7 * 24 * 3600_000 : 24 * 3600_000;
}
