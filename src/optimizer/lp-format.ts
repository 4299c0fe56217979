import type { MilpModel } from "./milp.ts";

/**
 * CPLEX LP text, readable by HiGHS and by `glpsol --lp`. The optimum of this text equals chaleur's objective
 * (€, maximised): the objective constant is carried by a variable `obj_constant` fixed at 1, since not every
 * reader accepts a constant term.
 */

/** JS's shortest round-trip text: parses back to exactly the same double (LP readers accept e-notation). */
const num = (x: number): string => String(x);

function term(c: number, name: string, first: boolean): string {
  const sign = c < 0 ? "-" : first ? "" : "+";
  const a = Math.abs(c);
  return `${sign}${first && c >= 0 ? "" : " "}${a === 1 ? "" : `${num(a)} `}${name}`;
}

function exprText(vars: number[], coefs: number[], names: string[]): string {
  if (!vars.length) return "0 obj_constant";
  const parts: string[] = [];
  for (let k = 0; k < vars.length; k++) parts.push(term(coefs[k]!, names[vars[k]!]!, k === 0));
  // Keep lines short: some LP readers limit line length.
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 8) lines.push(parts.slice(i, i + 8).join(" "));
  return lines.join("\n   ");
}

export function toCplexLp(m: MilpModel): string {
  const names = m.variables.map((v) => v.name);
  const out: string[] = [`\\ chaleur plan model: ${m.name}`, `\\ objective in EUR, maximised; obj_constant is fixed at 1`, "Maximize"];
  const objVars = [...m.objective.vars];
  const objCoefs = [...m.objective.coefs];
  out.push(` obj: ${exprText(objVars, objCoefs, names)}${m.objectiveConstant !== 0 ? ` ${term(m.objectiveConstant, "obj_constant", false)}` : ""}`);
  out.push("Subject To");
  for (const c of m.constraints) {
    const op = c.sense === "=" ? "=" : c.sense;
    out.push(` ${c.name}: ${exprText(c.expr.vars, c.expr.coefs, names)} ${op} ${num(c.rhs)}`);
  }
  out.push("Bounds");
  // A binary fixed by its bounds (an unavailable unit, a forced state) is written as a fixed column instead:
  // the Binaries section would reset its bounds to [0, 1].
  const isFree01 = (v: { kind: string; lb: number; ub: number }) => v.kind === "binary" && v.lb !== v.ub;
  for (const v of m.variables) {
    if (isFree01(v)) continue;
    const lb = v.lb === -Infinity ? "-inf" : num(v.lb);
    const ub = v.ub === Infinity ? "+inf" : num(v.ub);
    if (v.lb === v.ub) out.push(` ${v.name} = ${lb}`);
    else out.push(` ${lb} <= ${v.name} <= ${ub}`);
  }
  out.push(" obj_constant = 1");
  const bins = m.variables.filter(isFree01).map((v) => v.name);
  if (bins.length) {
    out.push("Binaries");
    for (let i = 0; i < bins.length; i += 10) out.push(` ${bins.slice(i, i + 10).join(" ")}`);
  }
  out.push("End", "");
  return out.join("\n");
}
