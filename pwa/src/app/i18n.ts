import type { WebhookEventType, WebhookLastDelivery } from '../../../shared/api/webhooks.ts';
import type { Locale } from '../../../shared/i18n.ts';
import type { RelativePeriod } from '../../../shared/reports/filters.ts';

/**
 * The app's text in every locale. Report titles, descriptions and column labels come from the
 * report registry; this is the rest. A key missing in one locale is a compile error.
 */
export interface Messages {
  appName: string;
  skipToContent: string;
  navReports: string;
  navHistory: string;
  navImport: string;
  navAdmin: string;
  navSettings: string;
  signOut: string;
  language: string;

  signInTitle: string;
  signInIntro: string;
  email: string;
  password: string;
  signIn: string;
  signingIn: string;
  signInFailed: (reason: string) => string;
  offlineSignIn: string;

  dataAsOf: (time: string) => string;
  dataNever: string;
  syncing: (count: number) => string;
  syncFailed: (reason: string) => string;
  offlineBadge: string;
  streamDown: string;
  sessionExpired: string;
  updateReady: string;
  updateReload: string;

  catalogTitle: string;
  catalogSearch: string;
  catalogEmpty: string;
  category: Record<string, string>;
  filtersTitle: (report: string) => string;
  timeZone: string;
  reportLocale: string;
  agents: string;
  agentsAll: string;
  agentsSearch: string;
  agentsSelected: (count: number) => string;
  agentsNone: string;
  teams: string;
  teamPick: (name: string, count: number) => string;
  teamDelete: (name: string) => string;
  teamName: string;
  teamSave: string;
  columns: string;
  formats: string;
  noFormat: string;
  pdfNote: (rows: string) => string;
  generate: string;
  templates: string;
  templateName: string;
  templateSave: string;
  templateApply: (name: string) => string;
  templateDelete: (name: string) => string;
  templatesNone: string;
  /** The messaging reports' saved searches are "models" (what their supervisors call them). */
  models: string;
  modelName: string;
  modelSave: string;
  modelApply: (name: string) => string;
  modelDelete: (name: string) => string;
  modelsNone: string;
  /** Saving: keep it on the server for the whole team (issue 13), not only on this machine. */
  modelShareWithTeam: string;
  /** The marker on a shared saved search, and its tooltip. */
  modelShared: string;
  modelSharedBy: (email: string) => string;
  modelShareOffline: string;
  /** Offered when the period ends today: the saved search keeps "the last N days", not dates. */
  periodRelative: (days: number) => string;
  periodLastDays: (days: number) => string;
  periodDates: (from: string, to: string) => string;
  /** The one-click periods, stored as named (they move with the calendar). */
  periodPresets: string;
  periodPreset: Record<RelativePeriod, string>;
  /** Offered when saving a search whose period is named: keep the name, or the dates it gives today. */
  periodKeepRelative: (period: string) => string;
  generating: string;
  resultCounting: string;
  resultCount: (count: string, n: number) => string;
  resultCountFailed: string;
  headlineTitle: string;
  headlineShare: (share: string, of: string) => string;
  chartTable: (title: string) => string;

  jobTitle: string;
  status: Record<'PROCESSING' | 'READY' | 'ERROR', string>;
  phase: Record<'reading' | 'computing' | 'writing' | 'queued', string>;
  cancel: string;
  download: (format: string, size: string) => string;
  rows: (count: number) => string;
  skipped: (format: string, reason: string) => string;
  notShared: string;
  preview: string;
  previewSortHint: string;
  /** The ⋮ button of a preview row, naming the row. */
  rowMenu: (row: string) => string;
  exportConversation: string;
  close: string;

  historyTitle: string;
  historyIntro: string;
  historyEmpty: string;
  historyBy: (who: string, when: string) => string;
  historyFilters: string;
  historyOpen: string;
  historyDelete: string;
  historyDeleteConfirm: (title: string) => string;
  historyLocal: string;
  historyPolling: string;

  importTitle: string;
  importIntro: string;
  importChoose: string;
  importRunning: (fileName: string) => string;
  importDone: (kept: string, invalid: string) => string;
  importLine: (line: number, error: string) => string;
  importMore: (count: string) => string;
  importPending: (count: string) => string;

  adminTitle: string;
  codesTitle: string;
  codeCreate: string;
  codeWithdraw: string;
  codeState: Record<'open' | 'used' | 'expired', string>;
  devicesTitle: string;
  deviceRevoke: string;
  usersTitle: string;
  userRole: string;
  userCreate: string;
  userRemove: string;
  roleAdmin: string;
  roleSupervisor: string;
  noneYet: string;
  adminOnly: string;
  colName: string;
  colAgents: string;
  colCreated: string;
  colExpires: string;
  colState: string;
  colEnrolled: string;
  colEmail: string;
  colActions: string;
  integrationsTitle: string;
  integrationsIntro: string;
  integrationsOffline: string;
  integrationWhatsApp: string;
  integrationApi: string;
  integrationName: string;
  integrationAppSecret: string;
  integrationVerifyToken: string;
  integrationCreate: string;
  integrationTokenCreate: string;
  integrationWebhookUrl: string;
  integrationPasteInMeta: string;
  integrationTokenOnce: string;
  integrationProvider: string;
  integrationDelete: string;
  integrationDeleteConfirm: (name: string) => string;
  webhooksTitle: string;
  webhooksIntro: string;
  webhooksOffline: string;
  webhookUrl: string;
  webhookEvents: string;
  webhookEvent: Record<WebhookEventType, string>;
  webhookSubscribe: string;
  webhookSecret: string;
  webhookSecretOnce: string;
  webhookLastDelivery: string;
  webhookState: Record<WebhookLastDelivery['state'], string>;
  webhookDeleteConfirm: (url: string) => string;
  copy: string;
  copied: string;

  settingsTitle: string;
  localData: (events: string, agents: string) => string;
  localKinds: string;
  localKind: (label: string, count: string, days: string) => string;
  clearLocal: string;
  clearLocalConfirm: string;
  syncNow: string;
  errorTitle: string;
  errorReload: string;
}

const en: Messages = {
  appName: 'Pontual',
  skipToContent: 'Skip to content',
  navReports: 'Reports',
  navHistory: 'History',
  navImport: 'Import',
  navAdmin: 'Admin',
  navSettings: 'Settings',
  signOut: 'Sign out',
  language: 'Language',

  signInTitle: 'Sign in',
  signInIntro: 'Sign in with the account your administrator created for you.',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signInFailed: (reason) => `Could not sign in: ${reason}`,
  offlineSignIn: 'You are offline. Signing in needs the server; once signed in, the app works offline.',

  dataAsOf: (time) => `Data as of ${time}`,
  dataNever: 'No data synced yet',
  syncing: (count) => (count > 0 ? `Syncing… ${count.toLocaleString('en')} events` : 'Syncing…'),
  syncFailed: (reason) => `Sync failed: ${reason}`,
  offlineBadge: 'Offline: reports use the data already on this machine',
  streamDown: 'Live updates are off; checking every 10 s',
  sessionExpired: 'Your session ended. Sign in again to sync; your local data is kept.',
  updateReady: 'A new version of Pontual is available.',
  updateReload: 'Reload',

  catalogTitle: 'Reports',
  catalogSearch: 'Search reports',
  catalogEmpty: 'No report matches this search.',
  category: { 'agent-activity': 'Agent activity', messaging: 'Messaging', account: 'Account' },
  filtersTitle: (report) => `${report}: filters`,
  timeZone: 'Time zone',
  reportLocale: 'Report language',
  agents: 'Agents',
  agentsAll: 'All agents',
  agentsSearch: 'Search agents',
  agentsSelected: (count) => `${count} selected`,
  agentsNone: 'No agents in the local data yet.',
  teams: 'Teams',
  teamPick: (name, count) => `${name} (${count})`,
  teamDelete: (name) => `Delete team "${name}"`,
  teamName: 'Name for this selection (a team)',
  teamSave: 'Save as team',
  columns: 'Columns',
  formats: 'Files',
  noFormat: 'Pick at least one file format.',
  pdfNote: (rows) => `PDF is for reading and printing: up to ${rows} rows. Use CSV or XLSX beyond.`,
  generate: 'Generate',
  templates: 'Saved filters',
  templateName: 'Name for these filters',
  templateSave: 'Save filters',
  templateApply: (name) => `Apply "${name}"`,
  templateDelete: (name) => `Delete "${name}"`,
  templatesNone: 'None saved for this report yet.',
  models: 'Models',
  modelName: 'Name for this model',
  modelSave: 'Save this search as a model',
  modelApply: (name) => `Apply model "${name}"`,
  modelDelete: (name) => `Delete model "${name}"`,
  modelsNone: 'No models for this report yet.',
  modelShareWithTeam: 'Share with team',
  modelShared: 'Shared',
  modelSharedBy: (email) => (email ? `Shared with the team by ${email}` : 'Shared with the team'),
  modelShareOffline: 'Sharing needs the server: connect and save again.',
  periodRelative: (days) => `Keep the period relative: the last ${days} days, whenever it is applied`,
  periodLastDays: (days) => (days === 1 ? 'today' : `last ${days} days`),
  periodDates: (from, to) => `${from} to ${to}`,
  periodPresets: 'Quick periods',
  periodPreset: {
    today: 'Today',
    yesterday: 'Yesterday',
    'this-week': 'This week',
    'last-week': 'Last week',
    'last-7-days': 'Last 7 days',
    'last-30-days': 'Last 30 days',
    'this-month': 'This month',
    'last-month': 'Last month',
  },
  periodKeepRelative: (period) => `Keep “${period}” moving with the calendar (else the dates shown now)`,
  generating: 'Starting…',
  resultCounting: 'Counting results…',
  resultCount: (count, n) => plural('en', n, `${count} result`, `${count} results`),
  resultCountFailed: 'The results could not be counted.',
  headlineTitle: 'Totals',
  headlineShare: (share, of) => `${share} of ${of}`,
  chartTable: (title) => `${title}: numbers per day`,

  jobTitle: 'Report job',
  status: { PROCESSING: 'Processing', READY: 'Ready', ERROR: 'Error' },
  phase: {
    queued: 'Starting',
    reading: 'Reading data',
    computing: 'Computing rows',
    writing: 'Writing files',
  },
  cancel: 'Cancel',
  download: (format, size) => `Download ${format} (${size})`,
  rows: (count) => plural('en', count, '1 row', `${count.toLocaleString('en')} rows`),
  skipped: (format, reason) => `No ${format}: ${reason}`,
  notShared: 'Not shared: the server could not be reached when it ran.',
  preview: 'Preview',
  previewSortHint: 'Click a column header to sort.',
  rowMenu: (row) => `Actions for ${row}`,
  exportConversation: 'Export conversation (PDF)',
  close: 'Close',

  historyTitle: 'History',
  historyIntro: 'The last 7 jobs of each report, shared with your team. Download links last 24 hours.',
  historyEmpty: 'No report has been run yet.',
  historyBy: (who, when) => `${who}, ${when}`,
  historyFilters: 'Filters',
  historyOpen: 'Open',
  historyDelete: 'Delete',
  historyDeleteConfirm: (title) =>
    `Delete “${title}” from the team’s history? Nobody will be able to download it.`,
  historyLocal: 'Only on this machine',
  historyPolling: 'Live updates are off: refreshing every 10 s while a job runs.',

  importTitle: 'Import events',
  importIntro:
    'Import JSON Lines files exported by the extension in offices without a connection. Valid events are kept and sent to the server; invalid lines are listed.',
  importChoose: 'Choose a .jsonl file',
  importRunning: (fileName) => `Reading ${fileName}…`,
  importDone: (kept, invalid) => `${kept} events kept, ${invalid} invalid lines.`,
  importLine: (line, error) => `Line ${line}: ${error}`,
  importMore: (count) => `…and ${count} more invalid lines.`,
  importPending: (count) => `${count} imported events waiting to be sent to the server.`,

  adminTitle: 'Administration',
  codesTitle: 'Enrollment codes',
  codeCreate: 'Create code',
  codeWithdraw: 'Withdraw',
  codeState: { open: 'Open', used: 'Used', expired: 'Expired' },
  devicesTitle: 'Devices',
  deviceRevoke: 'Revoke',
  usersTitle: 'Users',
  userRole: 'Role',
  userCreate: 'Add user',
  userRemove: 'Remove',
  roleAdmin: 'Admin',
  roleSupervisor: 'Supervisor',
  noneYet: 'None yet.',
  adminOnly: 'Only admins manage users and revoke devices.',
  colName: 'Name',
  colAgents: 'Agents',
  colCreated: 'Created',
  colExpires: 'Expires',
  colState: 'State',
  colEnrolled: 'Enrolled',
  colEmail: 'Email',
  colActions: 'Actions',
  integrationsTitle: 'Integrations',
  integrationsIntro:
    'Connect a WhatsApp Business account (Cloud API) so its delivery statuses and incoming messages arrive here, or create a token for a system that sends records.',
  integrationsOffline:
    'Integrations are managed on the server: connect to the network to create or delete them.',
  integrationWhatsApp: 'WhatsApp Cloud API',
  integrationApi: 'API token',
  integrationName: 'Name',
  integrationAppSecret: 'App secret (Meta app → Settings → Basic)',
  integrationVerifyToken: 'Verify token (any text you choose)',
  integrationCreate: 'Connect WhatsApp',
  integrationTokenCreate: 'Create token',
  integrationWebhookUrl: 'Callback URL',
  integrationPasteInMeta:
    'In your Meta app, open WhatsApp → Configuration → Webhook → Edit, paste the callback URL and the verify token, then subscribe to the “messages” field.',
  integrationTokenOnce:
    'Copy this token now: it is shown only this once. Anyone holding it can send records to this account.',
  integrationProvider: 'Provider',
  integrationDelete: 'Delete',
  integrationDeleteConfirm: (name) => `Delete the integration “${name}”? Its webhook and token stop at once.`,
  webhooksTitle: 'Webhooks',
  webhooksIntro:
    'Pontual posts these events to your systems as they happen, signed with a secret (docs/integrations.md says how to check it). Failed deliveries are retried; the Webhook events report lists every attempt.',
  webhooksOffline: 'Webhooks are managed on the server: connect to the network to subscribe or delete them.',
  webhookUrl: 'URL',
  webhookEvents: 'Events',
  webhookEvent: {
    'report.ready': 'Report ready',
    'ticket.closed': 'Ticket closed',
    'message.failed': 'Message failed',
    'campaign.finished': 'Campaign finished',
  },
  webhookSubscribe: 'Subscribe',
  webhookSecret: 'Signing secret',
  webhookSecretOnce:
    'Copy this secret now: it is shown only this once. Your system checks each delivery’s x-pontual-signature-256 header with it.',
  webhookLastDelivery: 'Last delivery',
  webhookState: { pending: 'Waiting', delivered: 'Delivered', retrying: 'Retrying', failed: 'Failed' },
  webhookDeleteConfirm: (url) => `Stop posting to ${url}? Deliveries still owed to it are given up.`,
  copy: 'Copy',
  copied: 'Copied',

  settingsTitle: 'Settings',
  localData: (events, agents) => `This machine holds ${events} events of ${agents} agents.`,
  localKinds: 'Kept on this machine, by kind of record (older records are dropped after each sync):',
  localKind: (label, count, days) => `${label}: ${count} records, kept for ${days} days`,
  clearLocal: 'Clear local data',
  clearLocalConfirm:
    'Delete the data on this machine? It is downloaded again from the server at the next sync.',
  syncNow: 'Sync now',
  errorTitle: 'Something went wrong on this screen',
  errorReload: 'Reload the app',
};

const ptBR: Messages = {
  appName: 'Pontual',
  skipToContent: 'Pular para o conteúdo',
  navReports: 'Relatórios',
  navHistory: 'Histórico',
  navImport: 'Importar',
  navAdmin: 'Administração',
  navSettings: 'Configurações',
  signOut: 'Sair',
  language: 'Idioma',

  signInTitle: 'Entrar',
  signInIntro: 'Entre com a conta que o administrador criou para você.',
  email: 'E-mail',
  password: 'Senha',
  signIn: 'Entrar',
  signingIn: 'Entrando…',
  signInFailed: (reason) => `Não foi possível entrar: ${reason}`,
  offlineSignIn:
    'Você está sem conexão. Entrar exige o servidor; depois de entrar, o app funciona sem conexão.',

  dataAsOf: (time) => `Dados de ${time}`,
  dataNever: 'Nenhum dado sincronizado ainda',
  syncing: (count) =>
    count > 0 ? `Sincronizando… ${count.toLocaleString('pt-BR')} eventos` : 'Sincronizando…',
  syncFailed: (reason) => `Falha na sincronização: ${reason}`,
  offlineBadge: 'Sem conexão: os relatórios usam os dados já neste computador',
  streamDown: 'Atualização ao vivo desligada; verificando a cada 10 s',
  sessionExpired: 'Sua sessão terminou. Entre de novo para sincronizar; seus dados locais foram mantidos.',
  updateReady: 'Há uma nova versão do Pontual.',
  updateReload: 'Recarregar',

  catalogTitle: 'Relatórios',
  catalogSearch: 'Buscar relatórios',
  catalogEmpty: 'Nenhum relatório corresponde à busca.',
  category: { 'agent-activity': 'Atividade dos agentes', messaging: 'Mensageria', account: 'Conta' },
  filtersTitle: (report) => `${report}: filtros`,
  timeZone: 'Fuso horário',
  reportLocale: 'Idioma do relatório',
  agents: 'Agentes',
  agentsAll: 'Todos os agentes',
  agentsSearch: 'Buscar agentes',
  agentsSelected: (count) => plural('pt-BR', count, `${count} selecionado`, `${count} selecionados`),
  agentsNone: 'Ainda não há agentes nos dados locais.',
  teams: 'Equipes',
  teamPick: (name, count) => `${name} (${count})`,
  teamDelete: (name) => `Excluir a equipe "${name}"`,
  teamName: 'Nome para esta seleção (uma equipe)',
  teamSave: 'Salvar como equipe',
  columns: 'Colunas',
  formats: 'Arquivos',
  noFormat: 'Escolha pelo menos um formato de arquivo.',
  pdfNote: (rows) => `O PDF é para ler e imprimir: até ${rows} linhas. Acima disso, use CSV ou XLSX.`,
  generate: 'Gerar',
  templates: 'Filtros salvos',
  templateName: 'Nome para estes filtros',
  templateSave: 'Salvar filtros',
  templateApply: (name) => `Aplicar "${name}"`,
  templateDelete: (name) => `Excluir "${name}"`,
  templatesNone: 'Nenhum salvo para este relatório.',
  models: 'Modelos',
  modelName: 'Nome para este modelo',
  modelSave: 'Salvar esta busca como modelo',
  modelApply: (name) => `Aplicar o modelo "${name}"`,
  modelDelete: (name) => `Excluir o modelo "${name}"`,
  modelsNone: 'Nenhum modelo para este relatório.',
  modelShareWithTeam: 'Compartilhar com a equipe',
  modelShared: 'Compartilhado',
  modelSharedBy: (email) =>
    email ? `Compartilhado com a equipe por ${email}` : 'Compartilhado com a equipe',
  modelShareOffline: 'Compartilhar precisa do servidor: conecte-se e salve de novo.',
  periodRelative: (days) => `Manter o período relativo: os últimos ${days} dias, sempre que for aplicado`,
  periodLastDays: (days) => (days === 1 ? 'hoje' : `últimos ${days} dias`),
  periodDates: (from, to) => `${from} a ${to}`,
  periodPresets: 'Períodos rápidos',
  periodPreset: {
    today: 'Hoje',
    yesterday: 'Ontem',
    'this-week': 'Esta semana',
    'last-week': 'Semana passada',
    'last-7-days': 'Últimos 7 dias',
    'last-30-days': 'Últimos 30 dias',
    'this-month': 'Este mês',
    'last-month': 'Mês passado',
  },
  periodKeepRelative: (period) => `Manter “${period}” acompanhando o calendário (senão, as datas de agora)`,
  generating: 'Iniciando…',
  resultCounting: 'Contando resultados…',
  resultCount: (count, n) => plural('pt-BR', n, `${count} resultado`, `${count} resultados`),
  resultCountFailed: 'Não foi possível contar os resultados.',
  headlineTitle: 'Totais',
  headlineShare: (share, of) => `${share} de ${of}`,
  chartTable: (title) => `${title}: números por dia`,

  jobTitle: 'Geração de relatório',
  status: { PROCESSING: 'Processando', READY: 'Pronto', ERROR: 'Erro' },
  phase: {
    queued: 'Iniciando',
    reading: 'Lendo dados',
    computing: 'Calculando linhas',
    writing: 'Gravando arquivos',
  },
  cancel: 'Cancelar',
  download: (format, size) => `Baixar ${format} (${size})`,
  rows: (count) =>
    plural(
      'pt-BR',
      count,
      `${count.toLocaleString('pt-BR')} linha`,
      `${count.toLocaleString('pt-BR')} linhas`,
    ),
  skipped: (format, reason) => `Sem ${format}: ${reason}`,
  notShared: 'Não compartilhado: o servidor estava inacessível quando foi gerado.',
  preview: 'Prévia',
  previewSortHint: 'Clique no cabeçalho de uma coluna para ordenar.',
  rowMenu: (row) => `Ações de ${row}`,
  exportConversation: 'Exportar conversa (PDF)',
  close: 'Fechar',

  historyTitle: 'Histórico',
  historyIntro:
    'As últimas 7 gerações de cada relatório, compartilhadas com a equipe. Os links de download valem 24 horas.',
  historyEmpty: 'Nenhum relatório foi gerado ainda.',
  historyBy: (who, when) => `${who}, ${when}`,
  historyFilters: 'Filtros',
  historyOpen: 'Abrir',
  historyDelete: 'Excluir',
  historyDeleteConfirm: (title) => `Excluir “${title}” do histórico da equipe? Ninguém mais poderá baixá-lo.`,
  historyLocal: 'Só neste computador',
  historyPolling: 'Atualização ao vivo desligada: atualizando a cada 10 s enquanto algo processa.',

  importTitle: 'Importar eventos',
  importIntro:
    'Importe arquivos JSON Lines exportados pela extensão em escritórios sem conexão. Os eventos válidos são mantidos e enviados ao servidor; as linhas inválidas são listadas.',
  importChoose: 'Escolha um arquivo .jsonl',
  importRunning: (fileName) => `Lendo ${fileName}…`,
  importDone: (kept, invalid) => `${kept} eventos mantidos, ${invalid} linhas inválidas.`,
  importLine: (line, error) => `Linha ${line}: ${error}`,
  importMore: (count) => `…e mais ${count} linhas inválidas.`,
  importPending: (count) => `${count} eventos importados aguardando envio ao servidor.`,

  adminTitle: 'Administração',
  codesTitle: 'Códigos de registro',
  codeCreate: 'Criar código',
  codeWithdraw: 'Retirar',
  codeState: { open: 'Aberto', used: 'Usado', expired: 'Expirado' },
  devicesTitle: 'Dispositivos',
  deviceRevoke: 'Revogar',
  usersTitle: 'Usuários',
  userRole: 'Papel',
  userCreate: 'Adicionar usuário',
  userRemove: 'Remover',
  roleAdmin: 'Administrador',
  roleSupervisor: 'Supervisor',
  noneYet: 'Nenhum ainda.',
  adminOnly: 'Só administradores gerenciam usuários e revogam dispositivos.',
  colName: 'Nome',
  colAgents: 'Agentes',
  colCreated: 'Criado em',
  colExpires: 'Expira em',
  colState: 'Situação',
  colEnrolled: 'Registrado em',
  colEmail: 'E-mail',
  colActions: 'Ações',
  integrationsTitle: 'Integrações',
  integrationsIntro:
    'Conecte uma conta do WhatsApp Business (Cloud API) para que os status de entrega e as mensagens recebidas cheguem aqui, ou crie um token para um sistema que envia registros.',
  integrationsOffline: 'As integrações ficam no servidor: conecte-se à rede para criá-las ou excluí-las.',
  integrationWhatsApp: 'WhatsApp Cloud API',
  integrationApi: 'Token de API',
  integrationName: 'Nome',
  integrationAppSecret: 'Chave secreta do app (app da Meta → Configurações → Básico)',
  integrationVerifyToken: 'Token de verificação (um texto que você escolhe)',
  integrationCreate: 'Conectar WhatsApp',
  integrationTokenCreate: 'Criar token',
  integrationWebhookUrl: 'URL de retorno de chamada',
  integrationPasteInMeta:
    'No seu app da Meta, abra WhatsApp → Configuração → Webhook → Editar, cole a URL de retorno de chamada e o token de verificação e assine o campo “messages”.',
  integrationTokenOnce:
    'Copie este token agora: ele só aparece desta vez. Quem o tiver pode enviar registros para esta conta.',
  integrationProvider: 'Provedor',
  integrationDelete: 'Excluir',
  integrationDeleteConfirm: (name) => `Excluir a integração “${name}”? O webhook e o token param na hora.`,
  webhooksTitle: 'Webhooks',
  webhooksIntro:
    'O Pontual envia estes eventos aos seus sistemas assim que acontecem, assinados com um segredo (docs/integrations.md explica como conferir). Entregas com falha são repetidas; o relatório Eventos de webhook lista cada tentativa.',
  webhooksOffline: 'Os webhooks ficam no servidor: conecte-se à rede para assiná-los ou excluí-los.',
  webhookUrl: 'URL',
  webhookEvents: 'Eventos',
  webhookEvent: {
    'report.ready': 'Relatório pronto',
    'ticket.closed': 'Ticket fechado',
    'message.failed': 'Mensagem com falha',
    'campaign.finished': 'Campanha finalizada',
  },
  webhookSubscribe: 'Assinar',
  webhookSecret: 'Segredo de assinatura',
  webhookSecretOnce:
    'Copie este segredo agora: ele é mostrado só desta vez. Seu sistema confere com ele o cabeçalho x-pontual-signature-256 de cada entrega.',
  webhookLastDelivery: 'Última entrega',
  webhookState: {
    pending: 'Aguardando',
    delivered: 'Entregue',
    retrying: 'Tentando novamente',
    failed: 'Falhou',
  },
  webhookDeleteConfirm: (url) => `Parar de enviar para ${url}? As entregas ainda devidas são abandonadas.`,
  copy: 'Copiar',
  copied: 'Copiado',

  settingsTitle: 'Configurações',
  localData: (events, agents) => `Este computador tem ${events} eventos de ${agents} agentes.`,
  localKinds:
    'Guardado neste computador, por tipo de registro (os mais antigos são apagados após cada sincronização):',
  localKind: (label, count, days) => `${label}: ${count} registros, guardados por ${days} dias`,
  clearLocal: 'Apagar dados locais',
  clearLocalConfirm:
    'Apagar os dados deste computador? Eles são baixados de novo do servidor na próxima sincronização.',
  syncNow: 'Sincronizar agora',
  errorTitle: 'Algo deu errado nesta tela',
  errorReload: 'Recarregar o app',
};

export const MESSAGES: Record<Locale, Messages> = { en, 'pt-BR': ptBR };

/** The singular or the plural, as the locale's rules choose for `count` (Intl.PluralRules). */
export function plural(locale: Locale, count: number, one: string, other: string): string {
  return new Intl.PluralRules(locale).select(count) === 'one' ? one : other;
}

/** A message shown as a sentence: the reasons from the validators and the workers start in lowercase. */
export function sentence(message: string): string {
  return message.charAt(0).toLocaleUpperCase() + message.slice(1);
}

const LOCALE_KEY = 'pontual.locale';

/** The app's language: the one chosen here before, else the browser's (`pt*` → `pt-BR`). */
export function initialLocale(): Locale {
  const chosen = localStorage.getItem(LOCALE_KEY);
  if (chosen === 'en' || chosen === 'pt-BR') return chosen;
  return navigator.language.toLowerCase().startsWith('pt') ? 'pt-BR' : 'en';
}

export function rememberLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

/** Bytes as a person reads them. */
export function formatSize(bytes: number, locale: Locale): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toLocaleString(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}
