import { CHANNEL_EVENTS } from './channel.ts';

/**
 * Runs in the page's own world (the only place a page's WebSocket frames can be seen) and
 * reports every socket's creation, text frames and close through the private channel. It only
 * reports what the browser itself delivered: a page script dispatching a made-up event on a socket
 * produces an untrusted event, which is ignored.
 */
export function installSocketHook(channel: Element): void {
  const NativeWebSocket = window.WebSocket;
  // Taken now, before any page script could replace them.
  const listen = EventTarget.prototype.addEventListener;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const NativeCustomEvent = CustomEvent;
  let sockets = 0;
  const report = (type: string, socket: number, payload: string) =>
    dispatch.call(channel, new NativeCustomEvent(type, { detail: `${socket} ${payload}` }));

  class WatchedWebSocket extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const id = ++sockets;
      report(CHANNEL_EVENTS.open, id, this.url);
      listen.call(this, 'message', (event: Event) => {
        const { data } = event as MessageEvent;
        if (event.isTrusted && typeof data === 'string') report(CHANNEL_EVENTS.message, id, data);
      });
      listen.call(this, 'close', (event: Event) => {
        if (event.isTrusted) report(CHANNEL_EVENTS.close, id, String((event as CloseEvent).code));
      });
    }
  }
  window.WebSocket = WatchedWebSocket;
}
