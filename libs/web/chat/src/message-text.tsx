import { Fragment, ReactNode, useMemo } from 'react';
import { EVERYONE } from '@chatbox/contracts';
import { MdNode, parseMarkdown } from '@chatbox/web-util';
import { useChat } from './chat-context';

/**
 * A message body in its safe Markdown subset (parseMarkdown), built as React elements from a tree
 * of known parts: text stays text whatever it contains (no HTML is ever interpreted), only
 * http(s) links become links, opened in a new tab without access to this page. Mentions of the
 * reader (or @everyone) stand out.
 */
export function MessageText({ text }: { text: string }) {
  const self = useChat((s) => s.me.username.toLowerCase());
  const nodes = useMemo(() => parseMarkdown(text), [text]);
  return <>{render(nodes, self)}</>;
}

function render(nodes: readonly MdNode[], self: string): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.kind) {
      case 'text':
        return <Fragment key={i}>{node.text}</Fragment>;
      case 'mention':
        return (
          <span key={i} className={node.name === self || node.name === EVERYONE ? 'mention mention-me' : 'mention'}>
            {node.text}
          </span>
        );
      case 'break':
        // shown by the body's pre-wrap, and copied as a line break
        return <Fragment key={i}>{'\n'}</Fragment>;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'codeblock':
        return (
          <pre key={i} className="code-block" tabIndex={0}>
            <code>{node.text}</code>
          </pre>
        );
      case 'link':
        return (
          <a key={i} href={node.href} target="_blank" rel="noopener noreferrer">
            {render(node.children, self)}
          </a>
        );
      case 'plain':
        return <Fragment key={i}>{render(node.children, self)}</Fragment>;
      case 'block': {
        const Tag = node.tag;
        return <Tag key={i}>{render(node.children, self)}</Tag>;
      }
    }
  });
}
