import type { LoginCause } from '../../shared/events/schema.ts';
import { storableText } from '../../shared/json/storable.ts';
import type { MessageRecord } from '../../shared/records/message.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';
import type { PlatformSignal } from '../adapters/types.ts';
import { type CaptureSignal, MAX_NAME, MAX_REASON } from './signals.ts';

type NewSignal = Omit<CaptureSignal, 'key' | 'observedAt'>;

export interface PageCaptureOptions {
  /** How this page was opened: `reload` is F5 (a `refresh`), anything else a `page_load`. */
  navigationType: string;
  emit(signal: NewSignal): void;
  newSessionId(): string;
  /** A ticket step or message the screen showed, to be recorded as it is (its id is the fact's). */
  emitRecord?(record: TicketRecord | MessageRecord): void;
  /** A frame that was not recorded, and why (logged: a platform's change shows up there). */
  ignored?(reason: string): void;
}

/**
 * The capture rules of one attendance page, for any platform: turns what the platform says (the
 * adapter's signals) and what the browser sees (socket drops, network changes) into logins with
 * their cause, status changes, logouts and heartbeats.
 */
export class PageCapture {
  private agent: { id: string; name: string } | undefined;
  private sessionId: string | undefined;
  private connected = false;
  /** The cause the platform's next welcome means. */
  private nextCause: LoginCause;
  private lastStatus: string | undefined;

  constructor(private readonly options: PageCaptureOptions) {
    this.nextCause = options.navigationType === 'reload' ? 'refresh' : 'page_load';
  }

  get isConnected(): boolean {
    return this.connected;
  }

  private base() {
    const agent = this.agent!;
    return { agentId: agent.id, agentName: agent.name, sessionId: this.sessionId! };
  }

  private emitStatus(status: 'available' | 'break', fullReason: string | undefined): void {
    const reason = fullReason === undefined ? undefined : storableText(fullReason, MAX_REASON);
    const key = `${status}:${reason ?? ''}`;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.options.emit({
      ...this.base(),
      type: 'status',
      status,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  onPlatformSignal(signal: PlatformSignal): void {
    switch (signal.kind) {
      case 'welcome': {
        // A platform's overlong text is cut to what an event may carry, and a NUL or a broken
        // surrogate in it replaced (U+FFFD): never a reason to lose the event. Unstorable, it
        // would be refused by the store with its whole batch, which the tab would resend forever.
        this.agent = { id: storableText(signal.agentId), name: storableText(signal.agentName, MAX_NAME) };
        this.sessionId = this.options.newSessionId();
        this.connected = true;
        this.lastStatus = undefined;
        this.options.emit({ ...this.base(), type: 'login', cause: this.nextCause });
        this.nextCause = 'reconnect';
        if (signal.status) this.emitStatus(signal.status, signal.reason);
        break;
      }
      case 'status':
        if (this.connected) this.emitStatus(signal.status, signal.reason);
        break;
      case 'renew-token':
        if (this.connected) this.options.emit({ ...this.base(), type: 'login', cause: 'token_renewal' });
        break;
      case 'active-elsewhere':
        this.nextCause = 'use_here';
        break;
      case 'session-taken':
        // The agent carries on in another tab, whose own login closes this session's rows.
        this.connected = false;
        this.nextCause = 'use_here';
        break;
      case 'ticket':
      case 'message':
        this.onRecord(signal.record, signal.kind === 'message' ? signal.sender : undefined);
        break;
      case 'malformed':
        this.options.ignored?.(`${signal.reason} in ${signal.frame}`);
        break;
      case 'logged-out':
        if (this.agent && this.sessionId) this.options.emit({ ...this.base(), type: 'logout' });
        this.connected = false;
        this.nextCause = 'page_load';
        break;
    }
  }

  /**
   * A ticket step or a message: recorded when it is this screen's agent's own, or nobody's (a
   * ticket reaching the queue, the contact's message). Another agent's steps seen on this screen
   * (a queue list shows them) are theirs to record, and this device may not be enrolled for them.
   */
  private onRecord(
    record: TicketRecord | MessageRecord,
    sender: 'agent' | 'contact' | 'bot' | undefined,
  ): void {
    // A bot's messages are not attendance (DESIGN §9): the provider's webhooks carry them.
    if (sender === 'bot') return;
    const what = `${record.type} ${record.id}`;
    if (!this.agent) {
      this.options.ignored?.(`${what}: seen before the platform said who is signed in`);
      return;
    }
    if (record.agentId !== undefined && record.agentId !== this.agent.id) {
      this.options.ignored?.(`${what}: another agent's (${record.agentId})`);
      return;
    }
    this.options.emitRecord?.(record);
  }

  /** The platform's socket closed. Unless the platform said why, the next welcome is a reconnection. */
  onSocketClosed(): void {
    if (!this.connected) return;
    this.connected = false;
    this.nextCause = 'reconnect';
  }

  /** The network changed (another Wi-Fi, cable to mobile): a new login while connected. */
  onNetworkChange(): void {
    if (this.connected) {
      this.sessionId = this.options.newSessionId();
      this.options.emit({ ...this.base(), type: 'login', cause: 'network_change' });
    } else if (this.nextCause === 'reconnect') {
      this.nextCause = 'network_change';
    }
  }

  /** Called every heartbeat period: a connected screen says it is alive. */
  onHeartbeatTick(): void {
    if (this.connected) this.options.emit({ ...this.base(), type: 'heartbeat' });
  }
}
