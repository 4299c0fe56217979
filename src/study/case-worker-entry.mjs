// The worker threads' entry: tsx's loader, registered inside the thread (an `--import tsx` in a worker's execArgv
// does not reach the thread's own module loader on Node 20), then the TypeScript case runner.
import { tsImport } from "tsx/esm/api";

const mod = await tsImport("./case-worker.ts", import.meta.url);
export default mod.default;
