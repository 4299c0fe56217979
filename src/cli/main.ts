import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError, isInputError } from "../config/errors.ts";
import { CONTROLLERS } from "../control/controller-names.ts";
import { progressBar } from "./progress.ts";
import { DEFAULT_SOLVER, SOLVERS } from "../optimizer/solvers/index.ts";
import { checkOutputFile, prepareOutputDir } from "./output-path.ts";
import type { SimPlantCliOptions } from "./sim-plant.ts";
import type { SweepCliOptions } from "./sweep.ts";
import { buildOf } from "../runtime/module-path.ts";

const VERSION = `${(JSON.parse(readFileSync(resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version: string }).version} (${buildOf(import.meta.url)})`;
const PLC_MAPS = ["heat-pumps", "substation", "greenhouse"].map((n) => resolve(import.meta.dirname, "../../plc", `${n}.yaml`));

/** Exit codes: 0 ok, 1 internal failure, 2 bad input (one line naming file, field and what was expected). */
const EXIT_BAD_INPUT = 2;

function buildProgram(): Command {
  const program = new Command("chaleur")
    .version(VERSION, "-V, --version", "print chaleur's version")
    .description("Heat-recovery optimization for the Paris Chapelle data centre: simulate, plan, control.")
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });

  program
    .command("simulate")
    .description("Run a what-if scenario and write timeseries.csv, kpis.json and report.html")
    .argument("<scenario>", "scenario file (YAML), e.g. simulations/paris-winter-week.yaml")
    .addOption(new Option("--controller <name>", "controller to run").choices([...CONTROLLERS]).default("rule"))
    .option("--out <dir>", "output folder (default: out/<scenario name>-<controller>)")
    .addOption(new Option("--solver <name>", "optimizer backend for mpc/oracle").choices([...SOLVERS]).default(DEFAULT_SOLVER))
    .option("--set <path=value>", "change a value for this run (repeatable): a scenario path (prices.mean_eur_per_mwh=80) or model.<path> (model.storage.height_m=12)", (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (file: string, opts: { controller: string; out?: string; solver: string; set: string[] }) => {
      // javascript-lp-solver takes over a minute for one 96-step plan; a week of mpc is 672 of them.
      if (opts.solver === "jslp" && opts.controller !== "rule") throw new InputError("--solver", "", "highs for simulate (jslp is for single plans: chaleur plan --solver jslp)", "javascript-lp-solver needs about a minute per 24-h plan");
      // Loaded by the command that needs them: `chaleur --version` or `--help` pays for none (zod, yaml, the simulator).
      const [{ parseSet }, { loadScenario }, { simulateScenario }] = await Promise.all([import("../config/set-paths.ts"), import("../config/scenario.ts"), import("../sim/run.ts")]);
      const sets = opts.set.map(parseSet);
      const sc = loadScenario(file, sets);
      // The run says what was changed: in its report's description and on the console.
      if (sets.length) sc.description = `${sc.description} [changed with --set: ${sets.map((s) => s.text).join(", ")}]`;
      const out = prepareOutputDir("--out", opts.out ?? join("out", `${basename(file).replace(/\.ya?ml$/, "")}-${opts.controller}`));
      const t0 = performance.now();
      const onProgress = progressBar(`${sc.name} (${opts.controller})`);
      const r = await simulateScenario(sc, opts.controller, out, { solver: opts.solver, sets: opts.set, ...(onProgress ? { onProgress } : {}) });
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      const k = r.kpis;
      console.log(`${sc.name} with ${opts.controller}: ${r.result.inputs.n} steps in ${s} s`);
      console.log(`  net value ${k.net_value_eur.toFixed(0)} €, sold ${k.heat_sold_mwh.toFixed(1)} MWh, greenhouse ${k.heat_greenhouse_mwh.toFixed(1)} MWh, dumped ${k.heat_dumped_mwh.toFixed(1)} MWh, ERF ${k.energy_reuse_factor}`);
      console.log(`  cooling violation ${k.cooling_violation_min} min, max balance residual ${k.max_balance_residual_kw} kW, greenhouse discomfort ${k.greenhouse_discomfort_kh} K·h`);
      if (k.solve_ms_p50 !== null) console.log(`  solve p50 ${k.solve_ms_p50.toFixed(0)} ms, p95 ${k.solve_ms_p95!.toFixed(0)} ms; modes ${JSON.stringify(k.mode_minutes)}`);
      const notes = r.result.inputs.notes.length;
      if (notes > 0) console.log(`  ${notes} data note${notes === 1 ? "" : "s"} in the report`);
      console.log(`  report: ${r.files.report}`);
      console.log(`  data:   ${r.files.timeseries}, ${r.files.kpis}`);
    });

  program
    .command("sweep")
    .description("Run every case of a study (axes of values over a scenario and its model, × controllers) on worker threads; resumable; writes cases.csv and study.html")
    .argument("[study]", "study file (YAML), e.g. simulations/studies/store-size.yaml")
    .option("--workers <n>", "worker threads (default: as many as cores)")
    .option("--shard <i/n>", "run only slice i of n (0-based), for an indexed batch job; join the slices with --merge")
    .option("--out <dir>", "study folder (default: out/<study name>); a case already done there is not run again")
    .option("--merge <dirs...>", "join the folders of a study's shards into --out (default: the first)")
    .option("--yes", "allow more than 10,000 cases")
    .addOption(new Option("--solver <name>", "optimizer backend for mpc/oracle").choices([...SOLVERS]).default(DEFAULT_SOLVER))
    .action(async (file: string | undefined, o: SweepCliOptions) => {
      const { sweepCommand } = await import("./sweep.ts");
      process.exitCode = await sweepCommand(file, o);
    });

  program
    .command("compare")
    .description("Runs of chaleur simulate side by side: KPIs with differences, charts overlaid, where the value was won or lost (by day, by use of heat)")
    .argument("<runs...>", "run folders written by simulate (the first is the reference)")
    .option("--out <file>", "HTML file to write", "compare.html")
    .action(async (runs: string[], o: { out: string }) => {
      const { runCompare } = await import("./compare.ts");
      console.log(runCompare({ runs, out: checkOutputFile("--out", o.out) }).summary);
    });

  program
    .command("plan")
    .description("One optimization over the inputs' horizon, printed as a plan (exit 1 if no verified plan)")
    .requiredOption("--model <file>", "plant model (YAML)")
    .requiredOption("--inputs <file>", "forecast CSV: time,it_heat_kw,outdoor_temp_c,solar_w_m2,price_el_eur_mwh,dh_demand_kw")
    .addOption(new Option("--solver <name>", "optimizer backend").choices([...SOLVERS]).default(DEFAULT_SOLVER))
    .option("--export-lp <file>", "write the model as CPLEX LP text (check it with glpsol --lp FILE)")
    .option("--json", "print the plan as JSON")
    .option("--time-limit-s <s>", "solver time limit", "60")
    .action(async (o: { model: string; inputs: string; solver: string; exportLp?: string; json?: boolean; timeLimitS: string }) => {
      const limit = Number(o.timeLimitS);
      if (!(limit > 0)) throw new InputError("--time-limit-s", "", "a positive number of seconds", `got '${o.timeLimitS}'`);
      const { runPlan } = await import("./plan.ts");
      process.exitCode = await runPlan({ model: o.model, inputs: o.inputs, solver: o.solver, ...(o.exportLp ? { exportLp: checkOutputFile("--export-lp", o.exportLp) } : {}), json: o.json ?? false, timeLimitMs: limit * 1000 });
    });

  program
    .command("sim-plant")
    .description("The plant simulator behind real OPC UA and Modbus TCP servers (PLC watchdogs included), until Ctrl-C")
    .requiredOption("--model <file>", "plant model (YAML)")
    .option("--opcua-port <port>", "OPC UA server port", "4840")
    .option("--modbus-port <port>", "Modbus TCP port of the first PLC; the others follow (+1, +2, …)", "5020")
    .option("--host <address>", "address the OPC UA and Modbus servers listen on (0.0.0.0: every interface)", "127.0.0.1")
    .option("--speed <n>", "simulated seconds per wall-clock second", "1")
    .option("--plc <files...>", "PLC register maps", PLC_MAPS)
    .option("--data-dir <dir>", "certificates and trust lists", "data/sim-plant")
    .option("--user <name>", "OPC UA user (password: $CHALEUR_OPCUA_PASSWORD, else 'demo')", "chaleur")
    .option("--no-auto-accept", "accept only client certificates in the trusted folder (default: any, as a demo)")
    .option("--log-every-s <s>", "print the plant's state every so many seconds", "60")
    .action(async (o: SimPlantCliOptions) => {
      // Loaded on demand: node-opcua takes seconds to import, which no other command should pay.
      const { runSimPlant } = await import("./sim-plant.ts");
      await runSimPlant(o);
    });

  program
    .command("daemon")
    .description("The controller on the plant PC: reads OPC UA, plans, writes the PLCs over Modbus, serves /api/health; until SIGTERM")
    .requiredOption("--config <file>", "daemon config (YAML), e.g. config/chaleur-demo.yaml")
    .action(async (o: { config: string }) => {
      const { runDaemonCommand } = await import("./daemon.ts");
      await runDaemonCommand(o.config);
    });

  program
    .command("demo")
    .description("The simulated plant and the daemon in one process, accelerated, on loopback (what npm start runs); Ctrl-C stops both")
    .option("--config <file>", "daemon config", resolve(import.meta.dirname, "../../config/chaleur-demo.yaml"))
    .option("--speed <n>", "simulated seconds per wall-clock second", "60")
    .option("--status-every-s <s>", "print what the daemon does every so many seconds", "5")
    .action(async (o: { config: string; speed: string; statusEveryS: string }) => {
      const { runDemo } = await import("./daemon.ts");
      await runDemo(o);
    });

  /** A command on a period of the daemon's history: --db, --from, --to. */
  const periodCommand = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .requiredOption("--db <file>", "the daemon's history (SQLite), e.g. data/demo/history.sqlite")
      .option("--from <time>", "start: ISO 8601 with offset, or a date (midnight in Paris); default the history's first cycle")
      .option("--to <time>", "end (excluded); default after the last cycle");

  periodCommand("export", "The daemon's history as CSV in the timeseries.csv columns, one row per cycle (15-min means where retention folded them)")
    .option("--out <file>", "CSV file to write (default: standard output)")
    .action(async (opts: { db: string; from?: string; to?: string; out?: string }) => {
      const { runExport } = await import("./export.ts");
      const r = runExport(opts);
      if (r.file !== "-") console.log(`${r.rows} cycles written to ${r.file}`);
    });

  periodCommand("report", "The HTML report of a period of real operation from the daemon's history")
    .option("--out <file>", "HTML file to write", "history-report.html")
    .option("--model <file>", "plant model to value the period with (default: the one the daemon ran with)")
    .action(async (opts: { db: string; from?: string; to?: string; out: string; model?: string }) => {
      const { runHistoryReport } = await import("./history-report.ts");
      const r = runHistoryReport(opts);
      console.log(`report of ${r.cycles} cycles: ${r.file}`);
    });

  const override = program.command("override").description("Operators' overrides through the daemon's API (--user with $CHALEUR_PASSWORD logs in once and keeps the session until chaleur logout; or a token in $CHALEUR_TOKEN)");
  const client = (c: Command) => c.option("--url <url>", "the daemon's HTTP address", process.env.CHALEUR_URL ?? "http://127.0.0.1:8080").option("--user <name>", "log in as this user (password in $CHALEUR_PASSWORD)");
  client(override.command("set").description("Override a setpoint, a unit's mode or a limit for a while, with a reason (refused if it would break cooling first)"))
    .requiredOption("--target <name>", "hp1, hp2, dh_sold, gh_boost, gh_direct, dry_coolers, chiller")
    .requiredOption("--kind <kind>", "off | lockout | fixed (heat pumps); setpoint | limit (the others)")
    .option("--value <kW>", "kW for fixed, setpoint and limit")
    .option("--for <duration>", "how long: 90m, 2h, 1h30m (operators: at most 24 h)")
    .option("--until <time>", "or until an ISO 8601 time")
    .option("--start <time>", "start later (ISO 8601); default now")
    .requiredOption("--reason <text>", "why, and who asked")
    .action(async (o) => {
      const { overrideSet } = await import("./override.ts");
      console.log(await overrideSet(o));
    });
  client(override.command("list").description("Overrides pending (--all: also past ones)"))
    .option("--all", "also expired and cleared overrides")
    .action(async (o) => {
      const { overrideList } = await import("./override.ts");
      console.log(await overrideList(o));
    });
  client(override.command("clear").description("Clear an override early").argument("<id>", "the override's number"))
    .requiredOption("--reason <text>", "why it ends early (required: it goes to the audit log)")
    .action(async (id: string, o) => {
      const { overrideClear } = await import("./override.ts");
      console.log(await overrideClear({ ...o, id }));
    });

  program
    .command("logout")
    .description("End the session the CLI keeps for a daemon (see override), on the daemon and on this computer")
    .option("--url <url>", "the daemon's HTTP address", process.env.CHALEUR_URL ?? "http://127.0.0.1:8080")
    .option("--user <name>", "only this user's session (default: every one kept for --url)")
    .action(async (o: { url: string; user?: string }) => {
      const { logout } = await import("./api-client.ts");
      console.log(await logout(o));
    });

  const audit = program.command("audit").description("The audit log in the daemon's history file");
  audit
    .command("verify")
    .description("Check the audit log's hash chain: exit 0 intact (prints the head to keep elsewhere), 1 broken (names the first row that does not chain), 2 bad input")
    .requiredOption("--db <file>", "the daemon's history file")
    .option("--head <id:hash>", "a head printed by an earlier verify: also checks that nothing up to it changed")
    .action(async (o: { db: string; head?: string }) => {
      const { auditVerify } = await import("./audit.ts");
      process.exitCode = auditVerify(o);
    });

  const users = program.command("users").description("Users of the daemon's API and HMI (kept in its history file)");
  users
    .command("add")
    .description("Add a user or change one's role and password (password in $CHALEUR_NEW_PASSWORD)")
    .option("--config <file>", "the daemon's config (its history file holds the users)")
    .option("--db <file>", "or the history file itself")
    .requiredOption("--username <name>", "user name")
    .requiredOption("--role <role>", "viewer | operator | engineer | admin")
    .action(async (o: { config?: string; db?: string; username: string; role: string }) => {
      const { usersAdd } = await import("./users.ts");
      console.log(await usersAdd(o));
    });
  users
    .command("list")
    .description("Users and their roles")
    .option("--config <file>", "the daemon's config")
    .option("--db <file>", "or the history file itself")
    .action(async (o: { config?: string; db?: string }) => {
      const { usersList } = await import("./users.ts");
      console.log(usersList(o));
    });

  program
    .command("validate")
    .description("Check a plant model, scenario, PLC register map or wire config; prints a summary or one line naming the problem")
    .argument("<file>", "YAML file to check")
    .action(async (file: string) => {
      const { validateFile } = await import("./validate-file.ts");
      console.log(validateFile(file));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      return EXIT_BAD_INPUT;
    }
    if (isInputError(e)) {
      process.stderr.write(`chaleur: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`chaleur: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.CHALEUR_DEBUG) console.error(e);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
