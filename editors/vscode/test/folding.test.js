// Tests of src/folding.js: braces fold, braces in comments and strings do not.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { braceFolds } = require('../src/folding');

test('nested blocks fold from the `{` line to the line before the `}`', () => {
  const text = [
    'site dc-a {', // 0
    '  kubernetes a {', // 1
    '    pool p nodes=3', // 2
    '  }', // 3
    '  network prod cidr="10.0.0.0/16"', // 4
    '}', // 5
    'topology t { owner o }', // 6
  ].join('\n');
  assert.deepEqual(braceFolds(text), [
    { start: 0, end: 4 },
    { start: 1, end: 2 },
  ]);
});

test('braces in comments and strings are text', () => {
  const text = [
    'service s { // {', // 0
    '  /* { /* nested { */ } */', // 1
    '  env A "{" ; env B #"}"# ; env C ##"a"#}"##', // 2
    '  command """', // 3
    '    }', // 4
    '    """', // 5
    '  env D "\\"{"', // 6
    '}', // 7
  ].join('\n');
  assert.deepEqual(braceFolds(text), [{ start: 0, end: 6 }]);
});

test('unbalanced text folds what closes and never throws', () => {
  assert.deepEqual(braceFolds('a {\n b {\n  c\n }\n'), [{ start: 1, end: 2 }]);
  assert.deepEqual(braceFolds('}\n}\na "unterminated {\n'), []);
});
