import type { Locale } from '../../../shared/i18n.ts';

/** The Admin screen's newer texts (kept apart from app/i18n.ts so this screen's work merges alone). */
export interface AdminMessages {
  /** Offline, with a copy of the list this machine last saw. */
  offlineLastKnown: (when: string) => string;
  notAvailableOffline: string;
  loading: string;
  codesOffline: string;
  usersOffline: string;
  devicesOffline: string;
  codeAgents: string;
  codeAgentsHint: string;
  codeFor: string;
  codeForOne: string;
  codeForMany: string;
  codeForBatch: string;
  codeDevices: string;
  codeCodes: string;
  codeTtl: string;
  ttl: Record<'60' | '480' | '1440' | '10080', string>;
  /** A new code: the sentence that goes with it, and the warning it will not be shown again. */
  codeCreated: (code: string, devices: number, expires: string) => string;
  shownOnce: string;
  codeLabel: string;
  batchCreated: (count: number, expires: string) => string;
  print: string;
  printTitle: string;
  printHelp: string;
  codeUses: (uses: number, max: number) => string;
  colUses: string;
  colLastSeen: string;
  colWaiting: string;
  colVersion: string;
  deviceActive: string;
  deviceRevokedOn: (when: string) => string;
  neverSeen: string;
}

export const ADMIN_MESSAGES: Record<Locale, AdminMessages> = {
  en: {
    offlineLastKnown: (when) => `Offline: showing what this screen last knew, at ${when}.`,
    notAvailableOffline: 'Not available offline.',
    loading: 'Loading…',
    codesOffline: 'Codes are made on the server: connect to the network to create or withdraw them.',
    usersOffline: 'Users are managed on the server: connect to the network to add or remove them.',
    devicesOffline: 'Devices report to the server: connect to the network to see them now or revoke one.',
    codeAgents: 'Restrict to agents (optional)',
    codeAgentsHint:
      'Agent ids as the contact-center platform shows them, separated by commas. A device enrolled with this code sends only these agents’ events. Leave empty for any agent.',
    codeFor: 'Code for',
    codeForOne: 'One device',
    codeForMany: 'Several devices, one shared code',
    codeForBatch: 'Several devices, one code each (printable list)',
    codeDevices: 'Devices',
    codeCodes: 'Codes',
    codeTtl: 'Valid for',
    ttl: { '60': '1 hour', '480': '8 hours', '1440': '1 day', '10080': '7 days' },
    codeCreated: (code, devices, expires) =>
      `Code ${code}, for ${devices === 1 ? 'one device' : `${devices.toLocaleString('en')} devices`}, valid until ${expires}. Type it in the extension’s options.`,
    shownOnce: 'It will not be shown again: copy it now.',
    codeLabel: 'Enrollment code',
    batchCreated: (count, expires) =>
      `${count.toLocaleString('en')} codes, one device each, valid until ${expires}. They will not be shown again: print the list now.`,
    print: 'Print',
    printTitle: 'Pontual enrollment codes',
    printHelp: 'In the Pontual extension’s options, type the code (or scan it) and save.',
    codeUses: (uses, max) => `${uses.toLocaleString('en')} of ${max.toLocaleString('en')}`,
    colUses: 'Devices enrolled',
    colLastSeen: 'Last seen',
    colWaiting: 'Events waiting',
    colVersion: 'Version',
    deviceActive: 'Active',
    deviceRevokedOn: (when) => `Revoked on ${when}`,
    neverSeen: 'Not yet',
  },
  'pt-BR': {
    offlineLastKnown: (when) => `Sem conexão: mostrando o que esta tela viu por último, em ${when}.`,
    notAvailableOffline: 'Indisponível sem conexão.',
    loading: 'Carregando…',
    codesOffline: 'Os códigos são feitos no servidor: conecte-se à rede para criá-los ou retirá-los.',
    usersOffline:
      'Os usuários são gerenciados no servidor: conecte-se à rede para adicioná-los ou removê-los.',
    devicesOffline:
      'Os dispositivos se reportam ao servidor: conecte-se à rede para vê-los agora ou revogar um.',
    codeAgents: 'Restringir a agentes (opcional)',
    codeAgentsHint:
      'Ids dos agentes como a plataforma de atendimento os mostra, separados por vírgulas. Um dispositivo registrado com este código só envia eventos destes agentes. Deixe vazio para qualquer agente.',
    codeFor: 'Código para',
    codeForOne: 'Um dispositivo',
    codeForMany: 'Vários dispositivos, um código compartilhado',
    codeForBatch: 'Vários dispositivos, um código cada (lista para imprimir)',
    codeDevices: 'Dispositivos',
    codeCodes: 'Códigos',
    codeTtl: 'Válido por',
    ttl: { '60': '1 hora', '480': '8 horas', '1440': '1 dia', '10080': '7 dias' },
    codeCreated: (code, devices, expires) =>
      `Código ${code}, para ${devices === 1 ? 'um dispositivo' : `${devices.toLocaleString('pt-BR')} dispositivos`}, válido até ${expires}. Digite-o nas opções da extensão.`,
    shownOnce: 'Ele não será mostrado de novo: copie-o agora.',
    codeLabel: 'Código de registro',
    batchCreated: (count, expires) =>
      `${count.toLocaleString('pt-BR')} códigos, um dispositivo cada, válidos até ${expires}. Eles não serão mostrados de novo: imprima a lista agora.`,
    print: 'Imprimir',
    printTitle: 'Códigos de registro do Pontual',
    printHelp: 'Nas opções da extensão Pontual, digite o código (ou leia-o) e salve.',
    codeUses: (uses, max) => `${uses.toLocaleString('pt-BR')} de ${max.toLocaleString('pt-BR')}`,
    colUses: 'Dispositivos registrados',
    colLastSeen: 'Visto por último',
    colWaiting: 'Eventos aguardando',
    colVersion: 'Versão',
    deviceActive: 'Ativo',
    deviceRevokedOn: (when) => `Revogado em ${when}`,
    neverSeen: 'Ainda não',
  },
};
