/** Preview: `node --import tsx src/report/render-sample.ts [out.html]` writes the sample report (default /tmp/report-sample.html). */

import { writeFileSync } from "node:fs";
import { renderReport } from "./html.ts";
import { sampleReportInput } from "./sample.ts";

const out = process.argv[2] ?? "/tmp/report-sample.html";
const html = renderReport(sampleReportInput());
writeFileSync(out, html);
console.log(`${out}: ${html.length} characters`);
