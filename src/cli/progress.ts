/** A one-line progress bar on a terminal; silent when stderr is not a terminal (CI, pipes, files). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ((fraction: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let lastPct = -1;
  return (fraction) => {
    const pct = Math.floor(fraction * 100);
    if (pct === lastPct) return;
    lastPct = pct;
    const width = 30;
    const full = Math.round((pct / 100) * width);
    stream.write(`\r${label} [${"#".repeat(full)}${".".repeat(width - full)}] ${String(pct).padStart(3)}%`);
    if (pct >= 100) stream.write("\n");
  };
}
