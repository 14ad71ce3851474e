import { Fragment } from 'react';
import { splitLinks } from '@chatbox/web-util';

/**
 * A message body as React text nodes: markup in it is shown, never interpreted. Only http(s)
 * URLs become links, opened in a new tab without access to this page.
 */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitLinks(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <Fragment key={i}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
