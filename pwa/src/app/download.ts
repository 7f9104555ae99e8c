import type { DownloadLinkAnswer } from '../../../shared/api/report-jobs.ts';
import { apiCall } from './api.ts';

/** Saves a file the worker made (it never left this machine). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Downloads a teammate's file from the shared history through a signed 24-hour link. */
export async function saveSharedFile(token: string, jobId: string, format: string): Promise<void> {
  const link = await apiCall<DownloadLinkAnswer>(
    `/api/v1/report-jobs/${encodeURIComponent(jobId)}/download-link?format=${format}`,
    { token },
  );
  const anchor = document.createElement('a');
  anchor.href = link.url;
  anchor.download = '';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
