/**
 * Word-wraps plain text (no colour codes) to `width` columns: the first line after a prefix of
 * `firstIndent` columns, the rest indented by `indent` spaces. Words longer than a line are cut.
 */
export function wrap(text: string, width: number, firstIndent: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  let room = width - firstIndent;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    while (w.length > width - indent) {
      if (line !== '') {
        lines.push(line);
        line = '';
        room = width - indent;
      }
      lines.push(w.slice(0, room));
      w = w.slice(room);
      room = width - indent;
    }
    if (line === '') line = w;
    else if (line.length + 1 + w.length <= room) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
      room = width - indent;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}
