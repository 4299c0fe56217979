import { evalExpr, objectiveValue, type MilpModel } from "./milp.ts";

/**
 * Checks returned values against every bound, every integrality requirement and every constraint (the cooling
 * balance included), whatever the solver said. Tolerances scale with the row's magnitude.
 */
export interface Violation {
  kind: "bound" | "integrality" | "constraint" | "value";
  name: string;
  group: string;
  amount: number;
  message: string;
}

export interface Verification {
  ok: boolean;
  violations: Violation[];
  /** Objective recomputed from the values (€). */
  objective: number;
}

const ABS_TOL = 1e-5;
const REL_TOL = 1e-7;
const INT_TOL = 1e-6;

export function verifySolution(m: MilpModel, x: ArrayLike<number>): Verification {
  const violations: Violation[] = [];
  m.variables.forEach((v, i) => {
    const val = x[i]!;
    if (!Number.isFinite(val)) {
      violations.push({ kind: "value", name: v.name, group: "", amount: Number.NaN, message: `${v.name} is ${val}` });
      return;
    }
    const tol = ABS_TOL + REL_TOL * Math.abs(val);
    if (val < v.lb - tol || val > v.ub + tol) {
      violations.push({ kind: "bound", name: v.name, group: "", amount: val < v.lb ? v.lb - val : val - v.ub, message: `${v.name} = ${val} outside [${v.lb}, ${v.ub}]` });
    }
    if (v.kind === "binary" && Math.abs(val - Math.round(val)) > INT_TOL) {
      violations.push({ kind: "integrality", name: v.name, group: "", amount: Math.abs(val - Math.round(val)), message: `${v.name} = ${val} is not 0 or 1` });
    }
  });
  for (const c of m.constraints) {
    const lhs = evalExpr(c.expr, x);
    let scale = Math.abs(c.rhs);
    for (let k = 0; k < c.expr.vars.length; k++) scale = Math.max(scale, Math.abs(c.expr.coefs[k]! * x[c.expr.vars[k]!]!));
    const tol = ABS_TOL + REL_TOL * scale;
    const diff = lhs - c.rhs;
    const bad = c.sense === "=" ? Math.abs(diff) > tol : c.sense === "<=" ? diff > tol : diff < -tol;
    if (bad) {
      violations.push({ kind: "constraint", name: c.name, group: c.group, amount: Math.abs(diff), message: `${c.name} (${c.group}): ${lhs} ${c.sense} ${c.rhs} violated by ${Math.abs(diff)}` });
    }
  }
  return { ok: violations.length === 0, violations, objective: objectiveValue(m, x) };
}

/** One line naming the worst violation, for errors and logs. */
export function describeViolations(v: Verification): string {
  if (v.ok) return "plan verified";
  const worst = [...v.violations].sort((a, b) => b.amount - a.amount)[0]!;
  return `plan failed verification: ${worst.message}${v.violations.length > 1 ? ` (+${v.violations.length - 1} more)` : ""}`;
}
