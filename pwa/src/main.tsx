import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { systemTimeZone } from '../../shared/time/zone.ts';
import { Root } from './app/Root.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);

// The renderer's first use of any Intl API loads ICU's data (30–40 ms in Chromium, ~0.5 ms after).
// Done while the page is idle (say, on the sign-in screen), it is a short task of its own instead
// of half of the Reports screen's first render, which asks for the machine's zone. (Safari has no
// requestIdleCallback: there the render pays it, as before.)
if (typeof requestIdleCallback === 'function') requestIdleCallback(() => systemTimeZone());
