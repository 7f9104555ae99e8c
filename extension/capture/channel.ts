/**
 * A private channel between the extension's two scripts on the page: the MAIN-world hook (which
 * the page can see) and the isolated content script (which it cannot). Both run at document_start,
 * before any page script: the first to run puts an element on the page, the second takes it off,
 * and from then on the hook reports by dispatching events on that detached element, which no page
 * script can reach or listen to. Messages posted on `window` could be read and forged by the page.
 */
const MARK = 'data-pontual-channel';

export function openPrivateChannel(): Element {
  const existing = document.querySelector(`[${MARK}]`);
  if (existing) {
    existing.remove();
    existing.removeAttribute(MARK);
    return existing;
  }
  const element = document.createElement('pontual-channel');
  element.setAttribute(MARK, '');
  (document.documentElement ?? document).appendChild(element);
  return element;
}

/** Event types the hook dispatches; the detail is `<socket id> <payload>`. */
export const CHANNEL_EVENTS = {
  /** A socket was created; payload: its URL. */
  open: 'pontual:socket-open',
  /** A text frame arrived; payload: the frame. */
  message: 'pontual:socket-message',
  /** The socket closed; payload: the close code. */
  close: 'pontual:socket-close',
} as const;

export function splitDetail(detail: unknown): [socket: number, payload: string] | undefined {
  if (typeof detail !== 'string') return undefined;
  const space = detail.indexOf(' ');
  if (space < 0) return undefined;
  return [Number(detail.slice(0, space)), detail.slice(space + 1)];
}
