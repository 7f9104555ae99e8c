import type { Locale } from '../../shared/i18n.ts';

/**
 * The text of the extension's pages (popup and options) in every locale. `Messages` lists every
 * key; each dictionary is typed with it, so a key missing in one locale is a compile error.
 */
export interface Messages {
  appName: string;
  loading: string;

  // Popup: today's timeline.
  today: string;
  openSettings: string;
  statusHeading: string;
  statusAvailable: string;
  statusBreak: (reason: string | undefined) => string;
  statusLoggedOut: string;
  statusNotCaptured: string;
  since: (time: string) => string;
  totalLoggedIn: string;
  totalOnBreak: string;
  totalTickets: string;
  ongoing: string;
  continuedFromYesterday: string;
  columnActivity: string;
  columnStart: string;
  columnEnd: string;
  columnDuration: string;
  timelineCaption: (agentName: string) => string;
  dayBarLabel: (loggedIn: string, onBreak: string) => string;
  legendLoggedIn: string;
  legendBreak: string;
  emptyTitle: string;
  emptyHint: string;
  syncHeading: string;
  syncWaiting: (count: number) => string;
  syncLast: string;
  syncNever: string;
  syncLastError: string;
  syncNoServer: string;
  readFailed: (problem: string) => string;

  // Popup and options page: the events the server refused.
  setAsideHeading: string;
  setAsideCount: (count: number) => string;
  setAsideIntro: string;
  columnTime: string;
  columnReason: string;
  kindHeartbeat: string;
  setAsideMore: (count: number) => string;
  setAsideDownload: string;
  setAsideDownloaded: (fileName: string) => string;
  setAsideRetry: string;
  setAsideRetried: (count: number) => string;
  setAsideFailed: (problem: string) => string;

  // Options page.
  optionsTitle: string;
  serverSection: string;
  serverUrl: string;
  serverUrlHint: string;
  enrollmentCode: string;
  enrollmentCodeHint: string;
  serverNote: string;
  adapterSection: string;
  adapterIntro: string;
  adapterMatches: string;
  adapterMatchesHint: string;
  adapterSocketUrl: string;
  adapterSocketUrlHint: string;
  adapterHeartbeat: string;
  adapterHeartbeatHint: string;
  adapterJson: string;
  adapterJsonHint: string;
  adapterRestoreDefaults: string;
  jsonInvalid: (problem: string) => string;
  jsonNotObject: string;
  policyNote: string;
  policyAllLocked: string;
  save: string;
  saving: string;
  saved: string;
  notSaved: (problem: string) => string;
  checkingServer: string;
  enrolledAs: (deviceName: string, serverUrl: string, since: string) => string;
  notEnrolled: string;
  savedNotEnrolled: (problem: string) => string;
  permissionDenied: (sites: string) => string;
  exportSection: string;
  exportIntro: string;
  exportButton: string;
  exporting: string;
  eventCount: (count: number) => string;
  exported: (count: number, fileName: string) => string;
  exportFailed: (problem: string) => string;
}

const en: Messages = {
  appName: 'Pontual',
  loading: 'Loading…',

  today: 'Today',
  openSettings: 'Settings',
  statusHeading: 'Status',
  statusAvailable: 'Available',
  statusBreak: (reason) => (reason === undefined ? 'On break' : `On break – ${reason}`),
  statusLoggedOut: 'Logged out',
  statusNotCaptured: 'Not captured yet',
  since: (time) => `since ${time}`,
  totalLoggedIn: 'Logged in today',
  totalOnBreak: 'On break today',
  totalTickets: 'Tickets today',
  ongoing: 'ongoing',
  continuedFromYesterday: 'started yesterday',
  columnActivity: 'Activity',
  columnStart: 'Start',
  columnEnd: 'End',
  columnDuration: 'Duration',
  timelineCaption: (agentName) => `${agentName}: today’s activity`,
  dayBarLabel: (loggedIn, onBreak) => `Your day so far: logged in ${loggedIn}, on break ${onBreak}`,
  legendLoggedIn: 'Logged in',
  legendBreak: 'Break',
  emptyTitle: 'Nothing captured today',
  emptyHint: 'Open the attendance screen and sign in: your logins, breaks and logouts will appear here.',
  syncHeading: 'Sync',
  syncWaiting: (count) => (count === 1 ? '1 event waiting to be sent' : `${count} events waiting to be sent`),
  syncLast: 'Last sync',
  syncNever: 'never',
  syncLastError: 'Last error',
  syncNoServer: 'No server set yet: events are kept on this computer and sent once sync is set up.',
  readFailed: (problem) => `Could not read the captured events: ${problem}`,

  setAsideHeading: 'Set aside',
  setAsideCount: (count) => (count === 1 ? '1 event set aside' : `${count} events set aside`),
  setAsideIntro:
    'The server refused these events. They are kept on this computer and not sent again until you choose Try again, for example after the server is upgraded. Download them for support.',
  columnTime: 'Time',
  columnReason: 'Reason',
  kindHeartbeat: 'Heartbeat',
  setAsideMore: (count) => `and ${count} more, in the download`,
  setAsideDownload: 'Download',
  setAsideDownloaded: (fileName) => `Downloaded ${fileName}`,
  setAsideRetry: 'Try again',
  setAsideRetried: (count) =>
    count === 1 ? '1 event is back in the queue' : `${count} events are back in the queue`,
  setAsideFailed: (problem) => `Could not do it: ${problem}`,

  optionsTitle: 'Pontual settings',
  serverSection: 'Server',
  serverUrl: 'Server URL',
  serverUrlHint: 'For example https://pontual.example.com. Leave empty to keep events on this computer.',
  enrollmentCode: 'Enrollment code',
  enrollmentCodeHint: 'A short-lived code your supervisor creates for this browser.',
  serverNote:
    'Sync arrives with the Pontual server. Until then, captured events queue on this computer; nothing is lost.',
  adapterSection: 'Site adapter',
  adapterIntro: 'How Pontual recognises the attendance screen and reads what happens on it.',
  adapterMatches: 'Attendance screen URL patterns',
  adapterMatchesHint: 'One match pattern per line, for example https://app.example.com/*',
  adapterSocketUrl: 'WebSocket URL (regular expression)',
  adapterSocketUrlHint: 'Matches the address of the socket that carries the platform’s messages.',
  adapterHeartbeat: 'Heartbeat (seconds)',
  adapterHeartbeatHint: 'How often an open screen says it is still alive (1–3600).',
  adapterJson: 'Advanced (JSON)',
  adapterJsonHint:
    'The whole adapter configuration. It stays in step with the fields above; saving checks all of it.',
  adapterRestoreDefaults: 'Restore the defaults',
  jsonInvalid: (problem) => `Advanced (JSON): not valid JSON (${problem})`,
  jsonNotObject: 'Advanced (JSON): must be a JSON object',
  policyNote: 'set by your organisation',
  policyAllLocked: 'Every setting here is set by your organisation.',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved',
  notSaved: (problem) => `Not saved: ${problem}`,
  checkingServer: 'Saved. Checking with the server…',
  enrolledAs: (deviceName, serverUrl, since) =>
    `Enrolled as “${deviceName}” on ${serverUrl}${since && ` since ${since}`}`,
  notEnrolled: 'Not enrolled: enter an enrollment code from a supervisor.',
  savedNotEnrolled: (problem) => `Saved, but not enrolled: ${problem}`,
  permissionDenied: (sites) => `Pontual needs access to ${sites} to capture there`,
  exportSection: 'Export',
  exportIntro:
    'Download every captured event as a JSON Lines file, for example to hand over from an office without connectivity. The Pontual app’s import screen and the command pontual report --input read it.',
  exportButton: 'Export captured events (JSON Lines)',
  exporting: 'Exporting…',
  eventCount: (count) =>
    count === 1 ? '1 event stored on this computer' : `${count} events stored on this computer`,
  exported: (count, fileName) =>
    count === 1 ? `Downloaded ${fileName} (1 event)` : `Downloaded ${fileName} (${count} events)`,
  exportFailed: (problem) => `Export failed: ${problem}`,
};

const ptBR: Messages = {
  appName: 'Pontual',
  loading: 'Carregando…',

  today: 'Hoje',
  openSettings: 'Configurações',
  statusHeading: 'Situação',
  statusAvailable: 'Disponível',
  statusBreak: (reason) => (reason === undefined ? 'Em pausa' : `Em pausa – ${reason}`),
  statusLoggedOut: 'Deslogado',
  statusNotCaptured: 'Nada capturado ainda',
  since: (time) => `desde ${time}`,
  totalLoggedIn: 'Logado hoje',
  totalOnBreak: 'Em pausa hoje',
  totalTickets: 'Tickets hoje',
  ongoing: 'em andamento',
  continuedFromYesterday: 'começou ontem',
  columnActivity: 'Atividade',
  columnStart: 'Início',
  columnEnd: 'Fim',
  columnDuration: 'Duração',
  timelineCaption: (agentName) => `${agentName}: atividade de hoje`,
  dayBarLabel: (loggedIn, onBreak) => `Seu dia até agora: logado ${loggedIn}, em pausa ${onBreak}`,
  legendLoggedIn: 'Logado',
  legendBreak: 'Pausa',
  emptyTitle: 'Nada capturado hoje',
  emptyHint: 'Abra a tela de atendimento e entre: seus logins, pausas e logouts aparecerão aqui.',
  syncHeading: 'Sincronização',
  syncWaiting: (count) => (count === 1 ? '1 evento aguardando envio' : `${count} eventos aguardando envio`),
  syncLast: 'Última sincronização',
  syncNever: 'nunca',
  syncLastError: 'Último erro',
  syncNoServer:
    'Nenhum servidor configurado: os eventos ficam neste computador e serão enviados quando a sincronização for configurada.',
  readFailed: (problem) => `Não foi possível ler os eventos capturados: ${problem}`,

  setAsideHeading: 'Separados',
  setAsideCount: (count) => (count === 1 ? '1 evento separado' : `${count} eventos separados`),
  setAsideIntro:
    'O servidor recusou estes eventos. Eles ficam neste computador e não são enviados de novo até você escolher Tentar de novo, por exemplo depois de uma atualização do servidor. Baixe-os para o suporte.',
  columnTime: 'Horário',
  columnReason: 'Motivo',
  kindHeartbeat: 'Sinal de vida',
  setAsideMore: (count) => `e mais ${count}, no arquivo baixado`,
  setAsideDownload: 'Baixar',
  setAsideDownloaded: (fileName) => `${fileName} baixado`,
  setAsideRetry: 'Tentar de novo',
  setAsideRetried: (count) =>
    count === 1 ? '1 evento voltou para a fila' : `${count} eventos voltaram para a fila`,
  setAsideFailed: (problem) => `Não foi possível: ${problem}`,

  optionsTitle: 'Configurações do Pontual',
  serverSection: 'Servidor',
  serverUrl: 'Endereço do servidor',
  serverUrlHint:
    'Por exemplo https://pontual.example.com. Deixe vazio para manter os eventos neste computador.',
  enrollmentCode: 'Código de inscrição',
  enrollmentCodeHint: 'Um código temporário que seu supervisor cria para este navegador.',
  serverNote:
    'A sincronização chega com o servidor do Pontual. Até lá, os eventos capturados ficam na fila neste computador; nada se perde.',
  adapterSection: 'Adaptador do site',
  adapterIntro: 'Como o Pontual reconhece a tela de atendimento e lê o que acontece nela.',
  adapterMatches: 'Padrões de URL da tela de atendimento',
  adapterMatchesHint: 'Um padrão por linha, por exemplo https://app.example.com/*',
  adapterSocketUrl: 'URL do WebSocket (expressão regular)',
  adapterSocketUrlHint: 'Corresponde ao endereço do socket que traz as mensagens da plataforma.',
  adapterHeartbeat: 'Sinal de vida (segundos)',
  adapterHeartbeatHint: 'De quanto em quanto tempo uma tela aberta avisa que continua ativa (1–3600).',
  adapterJson: 'Avançado (JSON)',
  adapterJsonHint:
    'A configuração completa do adaptador. Acompanha os campos acima; ao salvar, tudo é verificado.',
  adapterRestoreDefaults: 'Restaurar o padrão',
  jsonInvalid: (problem) => `Avançado (JSON): JSON inválido (${problem})`,
  jsonNotObject: 'Avançado (JSON): precisa ser um objeto JSON',
  policyNote: 'definido pela sua organização',
  policyAllLocked: 'Todas as configurações daqui são definidas pela sua organização.',
  save: 'Salvar',
  saving: 'Salvando…',
  saved: 'Salvo',
  notSaved: (problem) => `Não salvo: ${problem}`,
  checkingServer: 'Salvo. Verificando com o servidor…',
  enrolledAs: (deviceName, serverUrl, since) =>
    `Registrado como “${deviceName}” em ${serverUrl}${since && ` desde ${since}`}`,
  notEnrolled: 'Não registrado: digite um código de registro do supervisor.',
  savedNotEnrolled: (problem) => `Salvo, mas não registrado: ${problem}`,
  permissionDenied: (sites) => `O Pontual precisa de acesso a ${sites} para registrar ali`,
  exportSection: 'Exportar',
  exportIntro:
    'Baixe todos os eventos capturados em um arquivo JSON Lines, por exemplo para entregar a partir de um escritório sem conexão. A tela de importação do app Pontual e o comando pontual report --input leem esse arquivo.',
  exportButton: 'Exportar eventos capturados (JSON Lines)',
  exporting: 'Exportando…',
  eventCount: (count) =>
    count === 1 ? '1 evento armazenado neste computador' : `${count} eventos armazenados neste computador`,
  exported: (count, fileName) =>
    count === 1 ? `${fileName} baixado (1 evento)` : `${fileName} baixado (${count} eventos)`,
  exportFailed: (problem) => `Falha ao exportar: ${problem}`,
};

export const MESSAGES: Record<Locale, Messages> = { en, 'pt-BR': ptBR };

/** `pt`, `pt-BR`, `pt_PT`… → `pt-BR`; anything else → `en`. */
export function localeFor(uiLanguage: string | undefined): Locale {
  return uiLanguage !== undefined && /^pt\b|^pt[-_]/i.test(uiLanguage) ? 'pt-BR' : 'en';
}
