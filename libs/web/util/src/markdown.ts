import MarkdownIt from 'markdown-it';
import { full as emojiPlugin } from 'markdown-it-emoji';
import { MENTION_PATTERN } from '@chatbox/contracts';
import { safeHref } from './links';

/**
 * A message body as a tree of known, harmless parts: the renderer maps each kind to a React
 * element, so there is no HTML string anywhere (nothing to sanitise, nothing to inject).
 */
export type MdNode =
  | { kind: 'text'; text: string }
  /** `@name` as typed; `name` lower-cased without trailing sentence punctuation */
  | { kind: 'mention'; text: string; name: string }
  | { kind: 'break' }
  | { kind: 'code'; text: string }
  | { kind: 'codeblock'; text: string; lang: string }
  | { kind: 'link'; href: string; children: MdNode[] }
  | { kind: 'block'; tag: BlockTag; children: MdNode[] }
  /** content without a container of its own */
  | { kind: 'plain'; children: MdNode[] };

export type BlockTag = 'p' | 'strong' | 'em' | 's' | 'blockquote' | 'ul' | 'ol' | 'li';
const BLOCK_TAGS = new Set<string>(['p', 'strong', 'em', 's', 'blockquote', 'ul', 'ol', 'li']);

/**
 * The safe subset (bold, italic, strikethrough, inline code, fenced and indented code, quotes,
 * lists, links, `:shortcode:` emoji), from markdown-it's empty preset: no raw HTML (html: false),
 * no images, headings or tables. Only http(s) links (the same check as plain-text links); bare
 * URLs link too. Line breaks stay in the text as typed, with the spaces after them (the 'newline'
 * rule would drop those): shown with pre-wrap, a pasted stack trace keeps its layout.
 */
const md = new MarkdownIt('zero', { html: false, linkify: true })
  .enable(['linkify', 'blockquote', 'code', 'fence', 'list', 'backticks', 'emphasis', 'strikethrough', 'link', 'autolink', 'escape'])
  // ":)" and friends stay as typed: only :shortcodes: become emoji
  .use(emojiPlugin, { shortcuts: {} });
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
md.validateLink = (url) => safeHref(url) !== null;

type Token = ReturnType<typeof md.parse>[number];

export function parseMarkdown(text: string): MdNode[] {
  return build(md.parse(text, {}), text.split('\n'));
}

/** markdown-it's flat token stream (open, content, close) to a tree. */
function build(tokens: readonly Token[], lines: readonly string[]): MdNode[] {
  const root: MdNode[] = [];
  const stack: MdNode[][] = [root];
  const out = () => stack[stack.length - 1];
  for (const token of tokens) {
    if (token.nesting === 1) {
      // a tight list's paragraphs are hidden: their text goes straight into the item
      if (token.hidden) {
        stack.push(out());
        continue;
      }
      const children: MdNode[] = [];
      out().push(opening(token, children));
      stack.push(children);
    } else if (token.nesting === -1) {
      stack.pop();
    } else {
      out().push(...leaf(token, lines));
    }
  }
  return root;
}

function opening(token: Token, children: MdNode[]): MdNode {
  if (token.tag === 'a') {
    const href = safeHref(String(token.attrGet('href') ?? ''));
    // validateLink already refused the rest; a link that is not safe shows as its text
    return href ? { kind: 'link', href, children } : { kind: 'plain', children };
  }
  // nothing else is enabled; an unknown container shows its content only
  return BLOCK_TAGS.has(token.tag) ? { kind: 'block', tag: token.tag as BlockTag, children } : { kind: 'plain', children };
}

function leaf(token: Token, lines: readonly string[]): MdNode[] {
  switch (token.type) {
    case 'inline':
      return build(token.children ?? [], lines);
    case 'text':
      return withMentions(token.content);
    case 'emoji':
      return [{ kind: 'text', text: token.content }];
    case 'code_inline':
      return [{ kind: 'code', text: token.content }];
    case 'fence':
      return [{ kind: 'codeblock', text: token.content.replace(/\n$/, ''), lang: token.info.trim().split(/\s/)[0] ?? '' }];
    case 'code_block':
      // indented code, indentation and all, as it was typed (markdown-it takes 4 columns off)
      return [{ kind: 'codeblock', text: codeLines(token, lines), lang: '' }];
    case 'softbreak':
    case 'hardbreak':
      return [{ kind: 'break' }];
    default:
      // nothing else is enabled; whatever it is, it stays text
      return token.content ? [{ kind: 'text', text: token.content }] : [];
  }
}

function codeLines(token: Token, lines: readonly string[]): string {
  const [from, to] = token.map ?? [0, 0];
  const source = lines.slice(from, to);
  while (source.length > 0 && source[source.length - 1].trim() === '') source.pop();
  return source.length > 0 ? source.join('\n') : token.content.replace(/\n$/, '');
}

/** Text with its `@name`s cut out, so they can be shown as mentions. */
function withMentions(text: string): MdNode[] {
  const parts: MdNode[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    // trailing dots and dashes read as sentence punctuation here: "thanks @bob." shows "@bob" and "."
    const typed = `@${match[1].replace(/[.-]+$/, '')}`;
    const name = typed.slice(1).toLowerCase();
    if (name.length < 3) continue;
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: 'mention', text: typed, name });
    last = match.index + typed.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
