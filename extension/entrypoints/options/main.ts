import '../../ui/styles.css';
import { pageText } from '../../ui/locale.ts';

// First paint is the static shell in index.html (issue 13: under 300 ms). This entry is small
// (texts only); the page with React, Dexie and TypeBox loads as its own chunk and replaces it.
const { t } = pageText();
const title = document.getElementById('shell-title');
if (title) title.textContent = t.optionsTitle;
document.title = t.optionsTitle;
void import('./mount.tsx').then(({ mount }) => mount(document.getElementById('root')!));
