import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MdNode, parseMarkdown } from './markdown';

/** The tree as compact markup, to compare shapes at a glance (not how it is rendered). */
const show = (nodes: MdNode[]): string =>
  nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'mention':
          return `{@${n.name}}`;
        case 'break':
          return '|';
        case 'code':
          return `\`${n.text}\``;
        case 'codeblock':
          return `[${n.lang}:${n.text}]`;
        case 'link':
          return `<a ${n.href}>${show(n.children)}</a>`;
        case 'block':
          return `<${n.tag}>${show(n.children)}</${n.tag}>`;
        case 'plain':
          return show(n.children);
      }
    })
    .join('');

test('the subset: bold, italic, strikethrough, inline code, fences, quotes, lists, links, emoji', () => {
  assert.equal(show(parseMarkdown('**b** _i_ ~~s~~ `c` :tada:')), '<p><strong>b</strong> <em>i</em> <s>s</s> `c` 🎉</p>');
  assert.equal(show(parseMarkdown('```ts\nconst a = 1;\n  b()\n```')), '[ts:const a = 1;\n  b()]');
  assert.equal(show(parseMarkdown('> quoted\n\n- one\n- two\n\n1. first')), '<blockquote><p>quoted</p></blockquote><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol>');
  assert.equal(show(parseMarkdown('[site](https://example.com/a) and https://x.org')), '<p><a https://example.com/a>site</a> and <a https://x.org/>https://x.org</a></p>');
  assert.equal(show(parseMarkdown('line one\nline two')), '<p>line one\nline two</p>');
});

test('line breaks and indentation stay as typed: pasted code and stack traces keep their layout', () => {
  assert.equal(show(parseMarkdown('Error: boom\n    at main (app.ts:1)\n      at run')), '<p>Error: boom\n    at main (app.ts:1)\n      at run</p>');
  assert.equal(show(parseMarkdown('    if (ready) {\n        ship();\n    }')), '[:    if (ready) {\n        ship();\n    }]');
});

test('bare URLs: sentence punctuation and an unmatched parenthesis stay out; quotes are encoded in the href', () => {
  assert.equal(show(parseMarkdown('(docs: https://example.org/wiki/A_(b)).')), '<p>(docs: <a https://example.org/wiki/A_(b)>https://example.org/wiki/A_(b)</a>).</p>');
  assert.equal(show(parseMarkdown('https://x.org/"onmouseover="alert(1)')), '<p><a https://x.org/%22onmouseover=%22alert(1)>https://x.org/"onmouseover="alert(1)</a></p>');
});

test('no headings, images, tables or HTML: they stay text', () => {
  assert.equal(show(parseMarkdown('# not a heading')), '<p># not a heading</p>');
  assert.equal(show(parseMarkdown('<b onclick="x()">hi</b>')), '<p><b onclick="x()">hi</b></p>');
  assert.equal(show(parseMarkdown('![img](https://x.org/a.png)')), '<p>!<a https://x.org/a.png>img</a></p>');
});

test('only http(s) links: javascript:, data: and vbscript: stay text', () => {
  for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', 'java\tscript:alert(1)']) {
    const tree = show(parseMarkdown(`[click](${href})`));
    assert.ok(!tree.includes('<a'), `${href}: ${tree}`);
  }
  assert.ok(!show(parseMarkdown('<javascript:alert(1)>')).includes('<a'));
});

test('mentions are cut out of text, not out of code', () => {
  assert.equal(show(parseMarkdown('hi @Bob. and @everyone `@carol`')), '<p>hi {@bob}. and {@everyone} `@carol`</p>');
  assert.equal(show(parseMarkdown('mail bob@x.org')), '<p>mail bob@x.org</p>');
});
