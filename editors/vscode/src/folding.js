// Folding on braces: the line ranges of every `{ … }` block of a .hybrid
// document that spans lines, found by a scan that skips comments and every
// kind of KDL string (a brace inside them is text). Plain Node, no `vscode`.
'use strict';

/**
 * The blocks of `text` as `{ start, end }` zero-based lines: `start` holds
 * the `{`, `end` is the last line folded (the line before the `}`).
 */
function braceFolds(text) {
  const folds = [];
  const open = []; // lines of the unclosed `{`
  let line = 0;
  let i = 0;
  const n = text.length;
  // Advances past `close`, counting lines; to the end when it is missing.
  const skipTo = (close) => {
    const at = text.indexOf(close, i);
    const end = at < 0 ? n : at + close.length;
    for (let j = i; j < end; j++) if (text[j] === '\n') line++;
    i = end;
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (text.startsWith('//', i)) {
      const at = text.indexOf('\n', i);
      i = at < 0 ? n : at;
    } else if (text.startsWith('/*', i)) {
      let depth = 0;
      while (i < n) {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else {
          if (text[i] === '\n') line++;
          i++;
        }
      }
    } else if (c === '#' && /^#+"/.test(text.slice(i, i + 64))) {
      const hashes = /^#+/.exec(text.slice(i))[0];
      const triple = text.startsWith('"""', i + hashes.length);
      i += hashes.length + (triple ? 3 : 1);
      skipTo((triple ? '"""' : '"') + hashes);
    } else if (text.startsWith('"""', i)) {
      i += 3;
      while (i < n && !text.startsWith('"""', i)) {
        if (text[i] === '\n') line++;
        i += text[i] === '\\' && text[i + 1] !== '\n' ? 2 : 1;
      }
      i += 3;
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\n') line++;
        if (text[i] === '\\' && text[i + 1] !== '\n') i++;
        i++;
      }
      i++;
    } else if (c === '{') {
      open.push(line);
      i++;
    } else if (c === '}') {
      const start = open.pop();
      if (start !== undefined && line - 1 > start) folds.push({ start, end: line - 1 });
      i++;
    } else {
      i++;
    }
  }
  return folds.sort((a, b) => a.start - b.start || b.end - a.end);
}

module.exports = { braceFolds };
