import { defineContentScript } from 'wxt/utils/define-content-script';
import { referenceAdapter } from '../adapters/reference.ts';
import { openPrivateChannel } from '../capture/channel.ts';
import { installSocketHook } from '../capture/socket-hook.ts';

// The page-world half of capture: watches the platform's WebSocket (see capture/socket-hook.ts).
export default defineContentScript({
  matches: referenceAdapter.defaults.matches,
  runAt: 'document_start',
  world: 'MAIN',
  main() {
    installSocketHook(openPrivateChannel());
  },
});
