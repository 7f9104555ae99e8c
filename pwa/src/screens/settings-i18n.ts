import type { Locale } from '../../../shared/i18n.ts';

/** Settings' newer texts (kept apart from app/i18n.ts so this screen's work merges alone). */
export interface SettingsMessages {
  defaultsTitle: string;
  defaultsIntro: string;
  timeZone: string;
  timeZoneHint: (system: string) => string;
  reportLocale: string;
  sameAsApp: string;
  formats: string;
  saved: string;
  badZone: (zone: string) => string;
  syncing: string;
  synced: (records: string, count: number, at: string) => string;
  syncFailed: (error: string) => string;
}

export const SETTINGS_MESSAGES: Record<Locale, SettingsMessages> = {
  en: {
    defaultsTitle: 'Report defaults',
    defaultsIntro: 'What a new report starts with; each report can still change it for one run.',
    timeZone: 'Time zone',
    timeZoneHint: (system) => `Empty: this computer’s zone (${system}).`,
    reportLocale: 'Report language',
    sameAsApp: 'Same as the app',
    formats: 'File formats',
    saved: 'Saved.',
    badZone: (zone) => `“${zone}” is not a time zone; pick one from the list, like America/Sao_Paulo.`,
    syncing: 'Syncing…',
    synced: (records, count, at) => `Synced ${records} ${count === 1 ? 'record' : 'records'} at ${at}.`,
    syncFailed: (error) => `Sync failed: ${error}`,
  },
  'pt-BR': {
    defaultsTitle: 'Padrões dos relatórios',
    defaultsIntro: 'Com o que um novo relatório começa; cada relatório ainda pode mudar isso numa execução.',
    timeZone: 'Fuso horário',
    timeZoneHint: (system) => `Vazio: o fuso deste computador (${system}).`,
    reportLocale: 'Idioma do relatório',
    sameAsApp: 'O mesmo do aplicativo',
    formats: 'Formatos de arquivo',
    saved: 'Salvo.',
    badZone: (zone) => `“${zone}” não é um fuso horário; escolha um da lista, como America/Sao_Paulo.`,
    syncing: 'Sincronizando…',
    synced: (records, count, at) =>
      `${records} ${count === 1 ? 'registro sincronizado' : 'registros sincronizados'} às ${at}.`,
    syncFailed: (error) => `A sincronização falhou: ${error}`,
  },
};
