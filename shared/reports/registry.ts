import { activity } from './activity.ts';
import { agentSummary } from './agent-summary.ts';
import { attendanceHistory } from './attendance-history.ts';
import { attendanceStatistics } from './attendance-statistics.ts';
import { attendanceSummary } from './attendance-summary.ts';
import { broadcastConsolidated } from './broadcast-consolidated.ts';
import { broadcastDetailed } from './broadcast-detailed.ts';
import { chatConversations } from './chat-conversations.ts';
import { chatConversationsPerHour } from './chat-conversations-per-hour.ts';
import { chatEngagement } from './chat-engagement.ts';
import { chatSummary } from './chat-summary.ts';
import { chatUsers } from './chat-users.ts';
import { hsmConsolidated } from './hsm-consolidated.ts';
import { hsmDetailed } from './hsm-detailed.ts';
import { licenses } from './licenses.ts';
import { loginLogout } from './login-logout.ts';
import { messagesConsolidated } from './messages-consolidated.ts';
import { messagesDetailed } from './messages-detailed.ts';
import { numbers } from './numbers.ts';
import { officialMessages } from './official-messages.ts';
import { ticketDetail } from './ticket-detail.ts';
import { ticketSummary } from './ticket-summary.ts';
import type { ReportDefinition } from './types.ts';
import { webhookEvents } from './webhook-events.ts';

/** Every report the app, the workers and the CLI offer; adding one is adding its file here. */
export const REPORTS: readonly ReportDefinition[] = [
  activity,
  loginLogout,
  agentSummary,
  hsmDetailed,
  hsmConsolidated,
  broadcastDetailed,
  broadcastConsolidated,
  messagesDetailed,
  messagesConsolidated,
  officialMessages,
  attendanceHistory,
  attendanceStatistics,
  attendanceSummary,
  ticketSummary,
  ticketDetail,
  chatConversations,
  chatUsers,
  chatSummary,
  chatConversationsPerHour,
  chatEngagement,
  licenses,
  numbers,
  webhookEvents,
];

export function findReport(id: string): ReportDefinition | undefined {
  return REPORTS.find((report) => report.id === id);
}
