/** Escaping for text placed in HTML/SVG markup and for JSON embedded in an inline <script>. */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escape a string for use as element text or a quoted attribute value. Non-strings become "". */
export function escapeHtml(value: unknown): string {
  const text = typeof value === "string" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : "";
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * JSON safe to place inside `<script type="application/json">`: `<` is written as \u003c so the text can never
 * close the script element, and U+2028/U+2029 are escaped. NaN/Infinity become null (JSON.stringify semantics).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
