import type { CampaignRecord } from '../shared/records/campaign.ts';
import type { MessageRecord } from '../shared/records/message.ts';
import type { MessageStatusRecord } from '../shared/records/message-status.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import type { MessageStatus } from '../shared/records/status-catalog.ts';
import type { TicketRecord } from '../shared/records/ticket.ts';
import { random } from './generate.ts';

/**
 * A seeded generator of a messaging operation's records, as the reports read them: campaigns,
 * messages sent (broadcast, one by one by agents, by API; WhatsApp and some SMS), their delivery
 * statuses (one to three, not always in order, some failed or blocked), the contacts' replies, the
 * tickets some replies open, and a few statuses of messages never seen. About 3.3 records per
 * message sent. The same seed gives the same records.
 */
export interface MessagingOptions {
  /** Messages sent (MT). */
  messages: number;
  /** Over this many days from `start`. */
  days: number;
  seed?: number;
  /** First day, UTC midnight, epoch ms. */
  start?: number;
  /** Distinct contacts. */
  contacts?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BUSINESSES = ['551133334444', '551133335555', '552140040000'];
const FAILURES: MessageStatus[] = ['failed', 'undelivered', 'invalid_number', 'invalid_session', 'expired'];
const BLOCKS: MessageStatus[] = ['opt_out', 'tier_limit', 'blocked_warmup'];
const USERS = ['ana@acme', 'bruno@acme', 'carla@acme', 'api@acme'];
const iso = (ms: number) => new Date(ms).toISOString();

export function* generateMessaging(options: MessagingOptions): Generator<AnyRecord> {
  const rand = random(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2026, 2, 2);
  const contacts = options.contacts ?? Math.max(10, Math.floor(options.messages / 3));
  const span = options.days * 24 * HOUR;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  let counter = 0;
  const id = (prefix: string) => `${prefix}-${(++counter).toString(36)}`;

  const campaigns = Math.max(1, Math.floor(options.messages / 5_000));
  for (let c = 0; c < campaigns; c++) {
    const campaign: CampaignRecord = {
      id: id('c'),
      type: 'campaign',
      at: iso(start),
      campaignId: `campaign-${c}`,
      name: `Campaign ${c}`,
      channel: 'whatsapp',
      business: BUSINESSES[c % BUSINESSES.length]!,
      scheduledAt: iso(start + Math.floor(rand() * span)),
      templateId: `tpl-${c % 7}`,
      templateName: `promo_${c % 7}`,
      status: pick(['scheduled', 'running', 'paused', 'finished', 'cancelled'] as const),
    };
    yield campaign;
  }

  for (let m = 0; m < options.messages; m++) {
    // Spread over the days, in order: a file as an export writes it.
    const at = start + Math.floor((m / options.messages) * span) + Math.floor(rand() * MINUTE);
    const contact = `5511${(900_000_000 + Math.floor(rand() * contacts)).toString()}`;
    const business = pick(BUSINESSES);
    const kind = rand();
    const origin = kind < 0.6 ? 'broadcast' : kind < 0.85 ? 'attendance' : 'api';
    const channel = rand() < 0.9 ? 'whatsapp' : 'sms';
    const template = origin !== 'api' && channel === 'whatsapp';
    const messageId = `wamid.${m.toString(36)}`;
    const message: MessageRecord = {
      id: id('m'),
      type: 'message',
      at: iso(at),
      messageId,
      channel,
      direction: 'MT',
      contact,
      business,
      contentType: template ? 'template' : 'text',
      text: template ? `Olá, oferta ${m % 97}` : `Seu código é ${m % 10_000}`,
      origin,
      user: pick(USERS),
      subaccount: `sub-${m % 3}`,
      ...(template ? { templateId: `tpl-${m % 7}`, templateName: `promo_${m % 7}` } : {}),
      ...(origin === 'broadcast' ? { campaignId: `campaign-${Math.floor(rand() * campaigns)}` } : {}),
      ...(channel === 'whatsapp'
        ? {
            cost: template ? 0.0625 : 0,
            currency: 'BRL',
            billable: template,
            costCentre: pick(['Marketing', 'Billing', 'Support']),
            conversationId: `conv-${m.toString(36)}`,
            conversationType: template ? 'business_initiated' : 'user_initiated',
            sessionOpen: !template,
          }
        : {}),
    };
    yield message;
    // Statuses: sent, then delivered and read, or a failure; sometimes out of order.
    const fate = rand();
    const statuses: MessageStatus[] =
      fate < 0.55
        ? ['sent', 'delivered', 'read']
        : fate < 0.8
          ? ['sent', 'delivered']
          : fate < 0.9
            ? [pick(FAILURES)]
            : fate < 0.95
              ? [pick(BLOCKS)]
              : ['sent'];
    if (rand() < 0.1) statuses.reverse();
    for (const [i, value] of statuses.entries()) {
      const status: MessageStatusRecord = {
        id: id('s'),
        type: 'message_status',
        at: iso(at + (i + 1) * 5_000),
        messageId,
        status: value,
        providerStatus: value.toUpperCase(),
        ...(rand() < 0.5 ? { contact, business } : {}),
      };
      yield status;
    }
    // A reply within the day for one in five; a ticket opened for half of those.
    if (rand() < 0.2) {
      const replyAt = at + Math.floor(rand() * 30 * HOUR);
      const reply: MessageRecord = {
        id: id('m'),
        type: 'message',
        at: iso(replyAt),
        messageId: `wamid.mo.${m.toString(36)}`,
        channel,
        direction: 'MO',
        contact,
        business,
        contentType: 'text',
        text: 'Quero saber mais',
        replyTo: messageId,
      };
      yield reply;
      if (rand() < 0.5) {
        const ticket: TicketRecord = {
          id: id('t'),
          type: 'ticket',
          at: iso(replyAt + MINUTE),
          ticketId: `T-${m.toString(36)}`,
          action: 'opened',
          contact,
          business,
          queue: 'Sales',
          kind: 'receptive',
        };
        yield ticket;
      }
    }
    // Now and then a status of a message the data never had.
    if (rand() < 0.005) {
      const ghost: MessageStatusRecord = {
        id: id('s'),
        type: 'message_status',
        at: iso(at + 1_000),
        messageId: `wamid.ghost.${m.toString(36)}`,
        status: pick(['delivered', 'failed', 'read'] as const),
        contact,
        business,
      };
      yield ghost;
    }
  }
}
