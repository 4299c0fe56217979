/**
 * A mixed-integer linear program as plain data: built once, written as CPLEX LP text for HiGHS and glpsol,
 * translated for javascript-lp-solver, verified against any returned values. Plain data so it can cross a
 * worker-thread boundary unchanged.
 */

export type VarKind = "continuous" | "binary";
export type Sense = "<=" | ">=" | "=";

export interface Variable {
  name: string;
  lb: number;
  ub: number;
  kind: VarKind;
}

/** Sparse linear expression: parallel arrays of variable indices and coefficients. */
export interface LinExpr {
  vars: number[];
  coefs: number[];
}

export interface Constraint {
  name: string;
  expr: LinExpr;
  sense: Sense;
  rhs: number;
  /** Equipment group, for messages and for grouping in the LP file (e.g. "cooling", "hp1", "storage"). */
  group: string;
}

export interface MilpModel {
  name: string;
  /** Always maximised: value in €. */
  objective: LinExpr;
  /** Constant part of the objective (€), carried by a variable fixed at 1 in the LP file. */
  objectiveConstant: number;
  variables: Variable[];
  constraints: Constraint[];
}

/** Builds a model; variable names must be unique and LP-safe (letters, digits, `_`). */
export class MilpBuilder {
  readonly variables: Variable[] = [];
  readonly constraints: Constraint[] = [];
  private readonly objVars: number[] = [];
  private readonly objCoefs: number[] = [];
  private objConst = 0;
  private readonly names = new Set<string>();

  constructor(readonly name: string) {}

  addVar(name: string, lb: number, ub: number, kind: VarKind = "continuous"): number {
    if (this.names.has(name)) throw new Error(`duplicate variable ${name}`);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`variable name not LP-safe: ${name}`);
    if (!(lb <= ub)) throw new Error(`variable ${name}: lower bound ${lb} above upper bound ${ub}`);
    this.names.add(name);
    this.variables.push({ name, lb, ub, kind });
    return this.variables.length - 1;
  }

  /** Adds a constraint Σ coef·var (sense) rhs; terms on the same variable are merged, zero terms dropped. */
  addCon(name: string, group: string, terms: [number, number][], sense: Sense, rhs: number): void {
    const merged = new Map<number, number>();
    for (const [v, c] of terms) merged.set(v, (merged.get(v) ?? 0) + c);
    const vars: number[] = [];
    const coefs: number[] = [];
    for (const [v, c] of merged) {
      if (c !== 0) {
        vars.push(v);
        coefs.push(c);
      }
    }
    if (!Number.isFinite(rhs)) throw new Error(`constraint ${name}: rhs ${rhs}`);
    this.constraints.push({ name, group, expr: { vars, coefs }, sense, rhs });
  }

  addObj(v: number, coef: number): void {
    if (coef === 0) return;
    this.objVars.push(v);
    this.objCoefs.push(coef);
  }

  addObjConstant(c: number): void {
    this.objConst += c;
  }

  build(): MilpModel {
    const merged = new Map<number, number>();
    this.objVars.forEach((v, i) => merged.set(v, (merged.get(v) ?? 0) + this.objCoefs[i]!));
    const vars = [...merged.keys()].filter((v) => merged.get(v) !== 0);
    return {
      name: this.name,
      objective: { vars, coefs: vars.map((v) => merged.get(v)!) },
      objectiveConstant: this.objConst,
      variables: this.variables,
      constraints: this.constraints,
    };
  }
}

export function evalExpr(e: LinExpr, x: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < e.vars.length; k++) s += e.coefs[k]! * x[e.vars[k]!]!;
  return s;
}

export function objectiveValue(m: MilpModel, x: ArrayLike<number>): number {
  return evalExpr(m.objective, x) + m.objectiveConstant;
}
