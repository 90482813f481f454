/**
 * Drop blank (empty or whitespace-only) lines at both ends and keep at most one blank line between
 * two lines of text, so removing or converting lines never leaves a hole in the paragraphs.
 */
export function collapseBlankLines(lines: readonly string[]): string[] {
  const kept: string[] = [];
  let previousWasBlank = true;
  for (const line of lines) {
    const blank = line.trim() === '';
    if (blank && previousWasBlank) continue;
    kept.push(line);
    previousWasBlank = blank;
  }
  if (previousWasBlank) kept.pop();
  return kept;
}
