import '../../ui/styles.css';
import { pageText } from '../../ui/locale.ts';

// First paint is the static shell in index.html (issue 13: under 300 ms). This entry is small
// (texts only); the page with React, Dexie and TypeBox loads as its own chunk and replaces it.
const { t } = pageText();
const loading = document.getElementById('shell-loading');
if (loading) loading.textContent = t.loading;
void import('./mount.tsx').then(({ mount }) => mount(document.getElementById('root')!));
