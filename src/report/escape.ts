const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML and SVG text and attribute values. Everything that reaches a report
 * goes through it: order ids, item names, node names and messages come from user files.
 */
export function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (ch) => ENTITIES[ch]);
}

