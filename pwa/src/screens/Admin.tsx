import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Device, DevicesAnswer } from '../../../shared/api/devices.ts';
import type { CodesAnswer, EnrollmentCode, NewCodeAnswer } from '../../../shared/api/enrollment.ts';
import type {
  Integration,
  IntegrationsAnswer,
  NewIntegrationAnswer,
} from '../../../shared/api/integrations.ts';
import type { Role, User, UsersAnswer } from '../../../shared/api/users.ts';
import {
  type NewWebhookSubscriptionAnswer,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookSubscription,
  type WebhookSubscriptionsAnswer,
} from '../../../shared/api/webhooks.ts';
import { apiCall, isOffline } from '../app/api.ts';
import { useApp } from '../app/context.tsx';

/** A value to paste elsewhere (Meta's app settings, another system), with a Copy button. */
function CopyField(props: { label: string; value: string; testId: string }) {
  const { t } = useApp();
  const [copied, setCopied] = useState(false);
  const id = `copy-${props.testId}`;
  const copy = async (input: HTMLInputElement | null) => {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
    } catch {
      // No clipboard (permission refused, plain http): select it, so Ctrl+C copies it.
      input?.select();
    }
  };
  return (
    <div className="row">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        readOnly
        value={props.value}
        data-testid={props.testId}
        onFocus={(e) => e.target.select()}
      />
      <button
        type="button"
        onClick={(event) => void copy(event.currentTarget.previousElementSibling as HTMLInputElement | null)}
      >
        {copied ? t.copied : t.copy}
      </button>
    </div>
  );
}

/**
 * Admin → Integrations: a WhatsApp Business account's webhook (the callback URL and verify token
 * to paste into Meta's app settings) and API tokens (shown once). Managed on the server, so
 * offline it only says so.
 */
function Integrations() {
  const { t, locale, session, sync } = useApp();
  const [integrations, setIntegrations] = useState<Integration[]>([]);
  const [error, setError] = useState<string>();
  const [whatsApp, setWhatsApp] = useState({ name: '', appSecret: '', verifyToken: '' });
  const [apiName, setApiName] = useState('');
  /** What to paste into Meta's settings after connecting (the verify token is not shown again). */
  const [connected, setConnected] = useState<{ url: string; verifyToken: string }>();
  const [token, setToken] = useState<string>();
  const offline = !sync.online;
  const call = useCallback(
    async <T,>(path: string, options: { method?: string; body?: unknown } = {}) =>
      apiCall<T>(path, { ...options, token: session.token }),
    [session.token],
  );
  const load = useCallback(async () => {
    try {
      setIntegrations((await call<IntegrationsAnswer>('/api/v1/integrations')).integrations);
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.integrationsOffline : (problem as Error).message);
    }
  }, [call, t]);
  useEffect(() => {
    if (!offline) void load();
  }, [load, offline]);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.integrationsOffline : (problem as Error).message);
    }
    await load();
  };
  const connect = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const answer = await call<NewIntegrationAnswer>('/api/v1/integrations', {
        body: { provider: 'whatsapp-cloud', ...whatsApp },
      });
      setToken(undefined);
      setConnected({
        url: `${location.origin}${answer.integration.webhookPath ?? ''}`,
        verifyToken: whatsApp.verifyToken,
      });
      setWhatsApp({ name: '', appSecret: '', verifyToken: '' });
    });
  };
  const createToken = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const answer = await call<Required<NewIntegrationAnswer>>('/api/v1/integrations', {
        body: { provider: 'api', name: apiName },
      });
      setConnected(undefined);
      setToken(answer.token);
      setApiName('');
    });
  };
  const remove = (integration: Integration) => {
    if (!confirm(t.integrationDeleteConfirm(integration.name))) return;
    void act(() => call(`/api/v1/integrations/${integration.id}`, { method: 'DELETE' }));
  };
  return (
    <section className="panel" aria-labelledby="integrations-title">
      <h2 id="integrations-title">{t.integrationsTitle}</h2>
      <p className="hint">{t.integrationsIntro}</p>
      {offline && (
        <p className="hint" role="status" data-testid="integrations-offline">
          {t.integrationsOffline}
        </p>
      )}
      {error && !offline && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <fieldset disabled={offline}>
        <legend>{t.integrationWhatsApp}</legend>
        <form className="row" onSubmit={connect} aria-label={t.integrationWhatsApp}>
          <label>
            {t.integrationName}
            <input
              required
              value={whatsApp.name}
              onChange={(event) => setWhatsApp({ ...whatsApp, name: event.target.value })}
            />
          </label>
          <label>
            {t.integrationAppSecret}
            <input
              required
              type="password"
              autoComplete="off"
              value={whatsApp.appSecret}
              onChange={(event) => setWhatsApp({ ...whatsApp, appSecret: event.target.value })}
            />
          </label>
          <label>
            {t.integrationVerifyToken}
            <input
              required
              value={whatsApp.verifyToken}
              onChange={(event) => setWhatsApp({ ...whatsApp, verifyToken: event.target.value })}
            />
          </label>
          <button type="submit" className="primary">
            {t.integrationCreate}
          </button>
        </form>
      </fieldset>
      {connected && (
        <div className="success" role="status" data-testid="whatsapp-connected">
          <p>{t.integrationPasteInMeta}</p>
          <CopyField label={t.integrationWebhookUrl} value={connected.url} testId="webhook-url" />
          <CopyField label={t.integrationVerifyToken} value={connected.verifyToken} testId="verify-token" />
        </div>
      )}
      <fieldset disabled={offline}>
        <legend>{t.integrationApi}</legend>
        <form className="row" onSubmit={createToken} aria-label={t.integrationApi}>
          <label>
            {t.integrationName}
            <input required value={apiName} onChange={(event) => setApiName(event.target.value)} />
          </label>
          <button type="submit" className="primary">
            {t.integrationTokenCreate}
          </button>
        </form>
      </fieldset>
      {token && (
        <div className="note" role="alert" data-testid="api-token-created">
          <p>{t.integrationTokenOnce}</p>
          <CopyField label={t.integrationApi} value={token} testId="api-token" />
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.colName}</th>
            <th scope="col">{t.integrationProvider}</th>
            <th scope="col">{t.colCreated}</th>
            <th scope="col">{t.colActions}</th>
          </tr>
        </thead>
        <tbody>
          {integrations.map((integration) => (
            <tr key={integration.id}>
              <td>{integration.name}</td>
              <td>{integration.provider === 'api' ? t.integrationApi : t.integrationWhatsApp}</td>
              <td>{new Date(integration.createdAt).toLocaleString(locale)}</td>
              <td>
                <button
                  type="button"
                  className="link danger"
                  disabled={offline}
                  aria-label={`${t.integrationDelete} ${integration.name}`}
                  onClick={() => remove(integration)}
                >
                  {t.integrationDelete}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {integrations.length === 0 && !offline && <p className="hint">{t.noneYet}</p>}
    </section>
  );
}

/**
 * Admin → Webhooks: URLs the server posts events to, signed with a secret shown once at
 * subscription (docs/integrations.md "Outbound webhooks"), each with its latest delivery.
 */
function Webhooks() {
  const { t, locale, session, sync } = useApp();
  const [subscriptions, setSubscriptions] = useState<WebhookSubscription[]>([]);
  const [error, setError] = useState<string>();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  /** The new subscription's signing secret: shown this once. */
  const [secret, setSecret] = useState<string>();
  const offline = !sync.online;
  const call = useCallback(
    async <T,>(path: string, options: { method?: string; body?: unknown } = {}) =>
      apiCall<T>(path, { ...options, token: session.token }),
    [session.token],
  );
  const load = useCallback(async () => {
    try {
      setSubscriptions((await call<WebhookSubscriptionsAnswer>('/api/v1/webhooks')).subscriptions);
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.webhooksOffline : (problem as Error).message);
    }
  }, [call, t]);
  useEffect(() => {
    if (!offline) void load();
  }, [load, offline]);
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.webhooksOffline : (problem as Error).message);
    }
    await load();
  };
  const subscribe = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const answer = await call<NewWebhookSubscriptionAnswer>('/api/v1/webhooks', { body: { url, events } });
      setSecret(answer.secret);
      setUrl('');
      setEvents([]);
    });
  };
  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, type] : chosen.filter((other) => other !== type)));
  const remove = (subscription: WebhookSubscription) => {
    if (!confirm(t.webhookDeleteConfirm(subscription.url))) return;
    void act(() => call(`/api/v1/webhooks/${subscription.id}`, { method: 'DELETE' }));
  };
  const lastDelivery = (subscription: WebhookSubscription) => {
    const last = subscription.lastDelivery;
    if (!last) return '—';
    const answer = last.httpStatus === null ? '' : ` (HTTP ${last.httpStatus})`;
    return `${t.webhookState[last.state]}${answer} · ${t.webhookEvent[last.eventType]} · ${new Date(last.at).toLocaleString(locale)}`;
  };
  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t.webhooksTitle}</h2>
      <p className="hint">{t.webhooksIntro}</p>
      {offline && (
        <p className="hint" role="status" data-testid="webhooks-offline">
          {t.webhooksOffline}
        </p>
      )}
      {error && !offline && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="row" onSubmit={subscribe} aria-label={t.webhookSubscribe}>
        <label>
          {t.webhookUrl}
          <input
            type="url"
            required
            value={url}
            placeholder="https://example.com/hooks/pontual"
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <fieldset>
          <legend>{t.webhookEvents}</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              {t.webhookEvent[type]}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={offline || events.length === 0}>
          {t.webhookSubscribe}
        </button>
      </form>
      {secret && (
        <div className="created" role="status">
          <p>{t.webhookSecretOnce}</p>
          <CopyField label={t.webhookSecret} value={secret} testId="webhook-secret" />
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t.webhookUrl}</th>
            <th scope="col">{t.webhookEvents}</th>
            <th scope="col">{t.webhookLastDelivery}</th>
            <th scope="col">{t.colActions}</th>
          </tr>
        </thead>
        <tbody>
          {subscriptions.map((subscription) => (
            <tr key={subscription.id}>
              <td>{subscription.url}</td>
              <td>{subscription.events.map((type) => t.webhookEvent[type]).join(', ')}</td>
              <td title={subscription.lastDelivery?.error ?? undefined}>{lastDelivery(subscription)}</td>
              <td>
                <button
                  type="button"
                  className="link danger"
                  disabled={offline}
                  aria-label={`${t.integrationDelete} ${subscription.url}`}
                  onClick={() => remove(subscription)}
                >
                  {t.integrationDelete}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {subscriptions.length === 0 && !offline && <p className="hint">{t.noneYet}</p>}
    </section>
  );
}

/** Enrollment codes, devices and (for admins) users and integrations of the tenant. */
export default function Admin() {
  const { t, locale, session } = useApp();
  const isAdmin = session.user.role === 'admin';
  const [codes, setCodes] = useState<EnrollmentCode[]>([]);
  const [devices, setDevices] = useState<Device[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<string>();
  const [agentIds, setAgentIds] = useState('');
  const [ttl, setTtl] = useState(60);
  const [newUser, setNewUser] = useState({ email: '', password: '', role: 'supervisor' as Role });
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : '—');
  const call = useCallback(
    async <T,>(path: string, options: { method?: string; body?: unknown } = {}) =>
      apiCall<T>(path, { ...options, token: session.token }),
    [session.token],
  );

  const load = useCallback(async () => {
    try {
      setCodes((await call<CodesAnswer>('/api/v1/enrollment-codes')).codes);
      setDevices((await call<DevicesAnswer>('/api/v1/devices')).devices);
      if (isAdmin) setUsers((await call<UsersAnswer>('/api/v1/users')).users);
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.offlineBadge : (problem as Error).message);
    }
  }, [call, isAdmin, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(undefined);
    } catch (problem) {
      setError(isOffline(problem) ? t.offlineBadge : (problem as Error).message);
    }
    await load();
  };

  const createCode = (event: FormEvent) => {
    event.preventDefault();
    const ids = agentIds
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    void act(async () => {
      const answer = await call<NewCodeAnswer>('/api/v1/enrollment-codes', {
        body: { ttlMinutes: ttl, ...(ids.length > 0 ? { agentIds: ids } : {}) },
      });
      setCreated(t.codeCreated(answer.code, when(answer.expiresAt)));
      setAgentIds('');
    });
  };
  const createUser = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await call('/api/v1/users', { body: newUser });
      setNewUser({ email: '', password: '', role: 'supervisor' });
    });
  };
  const codeState = (code: EnrollmentCode) =>
    code.usedAt
      ? t.codeState.used
      : Date.parse(code.expiresAt) <= Date.now()
        ? t.codeState.expired
        : t.codeState.open;

  return (
    <div className="admin">
      <h1>{t.adminTitle}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="panel" aria-labelledby="codes-title">
        <h2 id="codes-title">{t.codesTitle}</h2>
        <form className="row" onSubmit={createCode}>
          <label>
            {t.codeAgents}
            <input
              value={agentIds}
              onChange={(event) => setAgentIds(event.target.value)}
              aria-describedby="code-hint"
            />
          </label>
          <label>
            {t.codeTtl}
            <input
              type="number"
              min={1}
              max={10080}
              value={ttl}
              onChange={(event) => setTtl(Number(event.target.value))}
            />
          </label>
          <button type="submit" className="primary">
            {t.codeCreate}
          </button>
        </form>
        <p className="hint" id="code-hint">
          {t.codeAgentsHint}
        </p>
        {created && (
          <p className="success" role="status" data-testid="created-code">
            {created}
          </p>
        )}
        <table>
          <thead>
            <tr>
              <th scope="col">{t.colAgents}</th>
              <th scope="col">{t.colCreated}</th>
              <th scope="col">{t.colExpires}</th>
              <th scope="col">{t.colState}</th>
              <th scope="col">{t.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((code) => (
              <tr key={code.id}>
                <td>{code.agentIds?.join(', ') ?? t.agentsAll}</td>
                <td>{when(code.createdAt)}</td>
                <td>{when(code.expiresAt)}</td>
                <td>{codeState(code)}</td>
                <td>
                  {codeState(code) === t.codeState.open && (
                    <button
                      type="button"
                      className="link danger"
                      onClick={() =>
                        void act(() => call(`/api/v1/enrollment-codes/${code.id}`, { method: 'DELETE' }))
                      }
                    >
                      {t.codeWithdraw}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {codes.length === 0 && <p className="hint">{t.noneYet}</p>}
      </section>

      <section className="panel" aria-labelledby="devices-title">
        <h2 id="devices-title">{t.devicesTitle}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.colName}</th>
              <th scope="col">{t.colAgents}</th>
              <th scope="col">{t.colEnrolled}</th>
              <th scope="col">{t.colState}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => (
              <tr key={device.id}>
                <td>{device.name}</td>
                <td>{device.agentIds?.join(', ') ?? t.agentsAll}</td>
                <td>{when(device.enrolledAt)}</td>
                <td>
                  {device.revokedAt ? (
                    `${t.deviceRevoked} ${when(device.revokedAt)}`
                  ) : isAdmin ? (
                    <button
                      type="button"
                      className="link danger"
                      onClick={() =>
                        void act(() =>
                          call(`/api/v1/devices/${device.id}/revoke`, { method: 'POST', body: {} }),
                        )
                      }
                    >
                      {t.deviceRevoke}
                    </button>
                  ) : (
                    t.codeState.open
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {devices.length === 0 && <p className="hint">{t.noneYet}</p>}
      </section>

      <section className="panel" aria-labelledby="users-title">
        <h2 id="users-title">{t.usersTitle}</h2>
        {!isAdmin ? (
          <p className="hint">{t.adminOnly}</p>
        ) : (
          <>
            <form className="row" onSubmit={createUser}>
              <label>
                {t.email}
                <input
                  type="email"
                  required
                  value={newUser.email}
                  onChange={(event) => setNewUser({ ...newUser, email: event.target.value })}
                />
              </label>
              <label>
                {t.password}
                <input
                  type="password"
                  required
                  autoComplete="new-password"
                  value={newUser.password}
                  onChange={(event) => setNewUser({ ...newUser, password: event.target.value })}
                />
              </label>
              <label>
                {t.userRole}
                <select
                  value={newUser.role}
                  onChange={(event) => setNewUser({ ...newUser, role: event.target.value as Role })}
                >
                  <option value="supervisor">{t.roleSupervisor}</option>
                  <option value="admin">{t.roleAdmin}</option>
                </select>
              </label>
              <button type="submit" className="primary">
                {t.userCreate}
              </button>
            </form>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.colEmail}</th>
                  <th scope="col">{t.userRole}</th>
                  <th scope="col">{t.colCreated}</th>
                  <th scope="col">{t.colActions}</th>
                </tr>
              </thead>
              <tbody>
                {users
                  .filter((user) => !user.disabledAt)
                  .map((user) => (
                    <tr key={user.id}>
                      <td>{user.email}</td>
                      <td>{user.role === 'admin' ? t.roleAdmin : t.roleSupervisor}</td>
                      <td>{when(user.createdAt)}</td>
                      <td>
                        {user.id !== session.user.id && (
                          <button
                            type="button"
                            className="link danger"
                            onClick={() =>
                              void act(() => call(`/api/v1/users/${user.id}`, { method: 'DELETE' }))
                            }
                          >
                            {t.userRemove}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      {isAdmin && <Integrations />}
      {isAdmin && <Webhooks />}
    </div>
  );
}
