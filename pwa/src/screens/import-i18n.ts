import type { Locale } from '../../../shared/i18n.ts';

/** The JSON Lines import's confirm step (kept apart from app/i18n.ts so this screen's work merges alone). */
export interface ImportMessages {
  confirmTitle: string;
  size: (bytes: number) => string;
  scanning: string;
  /** What the start (or all) of the file holds: "1,200 lines: 1,180 Activity events, 20 invalid". */
  found: (lines: string, complete: boolean, kinds: string, invalid: string) => string;
  importButton: string;
  cancel: string;
  details: string;
}

const size = (locale: Locale) => (bytes: number) => {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
};

export const IMPORT_MESSAGES: Record<Locale, ImportMessages> = {
  en: {
    confirmTitle: 'Import these files?',
    size: size('en'),
    scanning: 'Reading the start of the file…',
    found: (lines, complete, kinds, invalid) =>
      `${complete ? '' : 'In its first megabyte, '}${lines} lines: ${kinds || 'no valid records'}${invalid === '0' ? '' : `; ${invalid} invalid`}.`,
    importButton: 'Import',
    cancel: 'Cancel',
    details: 'details',
  },
  'pt-BR': {
    confirmTitle: 'Importar estes arquivos?',
    size: size('pt-BR'),
    scanning: 'Lendo o início do arquivo…',
    found: (lines, complete, kinds, invalid) =>
      `${complete ? '' : 'No primeiro megabyte, '}${lines} linhas: ${kinds || 'nenhum registro válido'}${invalid === '0' ? '' : `; ${invalid} inválidas`}.`,
    importButton: 'Importar',
    cancel: 'Cancelar',
    details: 'detalhes',
  },
};
