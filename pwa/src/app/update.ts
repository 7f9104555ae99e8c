import { Workbox } from 'workbox-window';

/**
 * Registers the service worker (offline start). When a new version has installed and waits, `onUpdate`
 * gets a function that activates it and reloads the page — the "new version available" prompt.
 */
export function registerServiceWorker(onUpdate: (activate: () => void) => void): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  workbox.addEventListener('waiting', () => {
    onUpdate(() => {
      workbox.addEventListener('controlling', () => location.reload());
      workbox.messageSkipWaiting();
    });
  });
  void workbox.register();
}
