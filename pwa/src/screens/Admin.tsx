import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { encode } from 'uqr';
import type { Device, DevicesAnswer } from '../../../shared/api/devices.ts';
import type {
  CodesAnswer,
  EnrollmentCode,
  NewCodeAnswer,
  NewCodesAnswer,
} from '../../../shared/api/enrollment.ts';
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
import { ADMIN_MESSAGES } from './admin-i18n.ts';

type Call = <T>(path: string, options?: { method?: string; body?: unknown }) => Promise<T>;

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

/** What a create step shows once (a code, a token, a secret): its words and the values to copy. */
interface Shown {
  testId: string;
  note: ReactNode;
  fields?: { label: string; value: string; testId: string }[];
  /** A warning rather than a confirmation: this is the only time it is shown. */
  once?: boolean;
}

/** What a section's create forms get: whether they may act now, and how to. */
interface CreateApi {
  call: Call;
  /** Offline: forms are disabled, described by the reason (`reasonId`). */
  disabled: boolean;
  reasonId: string;
  /** Runs a create; what it returns is shown once, then the list is loaded again. */
  act(work: () => Promise<Shown | undefined>): void;
}

interface Column<Item> {
  header: string;
  cell(item: Item): ReactNode;
}

/** The list as this machine last saw it, for offline: never a secret, only what the list shows. */
function lastKnown<Item>(key: string): { at: string; items: Item[] } | undefined {
  try {
    const saved = localStorage.getItem(key);
    return saved === null ? undefined : (JSON.parse(saved) as { at: string; items: Item[] });
  } catch {
    return undefined;
  }
}

/**
 * One Admin section: "create → what is shown once → the list, with an action per row", the shape
 * codes, devices, users, integrations and webhooks share. Offline it says so, shows the list as
 * this machine last saw it (or that it is not available offline) and disables the forms, saying
 * why; it never says "None yet." for a list it could not read.
 */
function ManagedList<Item extends { id: string }>(props: {
  id: string;
  title: string;
  intro?: ReactNode;
  /** Why the forms are disabled offline. */
  offlineReason: string;
  path: string;
  pick(answer: unknown): Item[];
  columns: Column<Item>[];
  /** A row's action (delete, withdraw, revoke); `act` runs it and loads the list again. */
  action?(item: Item, act: (work: () => Promise<unknown>) => void, disabled: boolean): ReactNode;
  create?(api: CreateApi): ReactNode;
  /** Shown above the table, in a row of its own (the printable list of codes). */
  children?: ReactNode;
}) {
  const { t, locale, session, sync } = useApp();
  const a = ADMIN_MESSAGES[locale];
  const cacheKey = `pontual.admin.${session.user.id}.${props.id}`;
  const [items, setItems] = useState<Item[]>();
  const [cachedAt, setCachedAt] = useState<string>();
  const [error, setError] = useState<string>();
  const [unreachable, setUnreachable] = useState(false);
  const [shown, setShown] = useState<Shown>();
  const offline = !sync.online || unreachable;
  const { path, pick } = props;
  const call = useCallback<Call>(
    (path, options = {}) => apiCall(path, { ...options, token: session.token }),
    [session.token],
  );
  const showLastKnown = useCallback(() => {
    const saved = lastKnown<Item>(cacheKey);
    setItems(saved?.items);
    setCachedAt(saved?.at);
  }, [cacheKey]);
  const load = useCallback(async () => {
    try {
      const fresh = pick(await call(path));
      setItems(fresh);
      setCachedAt(undefined);
      setUnreachable(false);
      setError(undefined);
      localStorage.setItem(cacheKey, JSON.stringify({ at: new Date().toISOString(), items: fresh }));
    } catch (problem) {
      if (!isOffline(problem)) return setError((problem as Error).message);
      setUnreachable(true);
      showLastKnown();
    }
  }, [call, path, pick, cacheKey, showLastKnown]);
  // Loaded again when the browser comes online and after each sync that went through (the
  // server was unreachable, and is back).
  const lastSync = sync.last?.at;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `lastSync` is the trigger, not an input.
  useEffect(() => {
    if (sync.online) void load();
    else showLastKnown();
  }, [load, sync.online, showLastKnown, lastSync]);
  const act = (work: () => Promise<unknown>) =>
    void (async () => {
      try {
        await work();
        setError(undefined);
      } catch (problem) {
        if (isOffline(problem)) setUnreachable(true);
        else setError((problem as Error).message);
      }
      await load();
    })();
  const reasonId = `${props.id}-offline`;
  const api: CreateApi = {
    call,
    disabled: offline,
    reasonId,
    act: (work) =>
      act(async () => {
        setShown(undefined);
        setShown(await work());
      }),
  };
  const offlineNote = offline ? (
    <div role="status">
      <p className="hint" id={reasonId} data-testid={reasonId}>
        {props.offlineReason}
      </p>
      <p className="hint" data-testid={`${props.id}-last-known`}>
        {cachedAt ? a.offlineLastKnown(new Date(cachedAt).toLocaleString(locale)) : a.notAvailableOffline}
      </p>
    </div>
  ) : null;
  return (
    <section className="panel" aria-labelledby={`${props.id}-title`} data-testid={`${props.id}-section`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.intro && <p className="hint">{props.intro}</p>}
      {offlineNote}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {props.create?.(api)}
      {shown && (
        <div
          className={shown.once ? 'note' : 'success'}
          role={shown.once ? 'alert' : 'status'}
          data-testid={shown.testId}
        >
          {shown.note}
          {shown.fields?.map((field) => (
            <CopyField key={field.testId} {...field} />
          ))}
        </div>
      )}
      {props.children}
      {items === undefined ? (
        !offline && <p className="hint">{a.loading}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                {props.columns.map((column) => (
                  <th scope="col" key={column.header}>
                    {column.header}
                  </th>
                ))}
                {props.action && <th scope="col">{t.colActions}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  {props.columns.map((column) => (
                    <td key={column.header}>{column.cell(item)}</td>
                  ))}
                  {props.action && <td>{props.action(item, act, offline)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {items.length === 0 && !offline && <p className="hint">{t.noneYet}</p>}
        </>
      )}
    </section>
  );
}

/** A row's delete, after the person confirms (`question`), disabled offline. */
function DeleteButton(props: {
  label: string;
  name: string;
  question?: string;
  disabled: boolean;
  onDelete(): void;
}) {
  return (
    <button
      type="button"
      className="link danger"
      disabled={props.disabled}
      aria-label={`${props.label} ${props.name}`}
      onClick={() => {
        if (props.question === undefined || confirm(props.question)) props.onDelete();
      }}
    >
      {props.label}
    </button>
  );
}

const TTL_CHOICES = ['60', '480', '1440', '10080'] as const;
type CodeFor = 'one' | 'many' | 'batch';

/** A QR code as SVG, drawn from uqr's modules (no HTML strings injected). */
function QrCode(props: { text: string; label: string }) {
  const { data, size } = encode(props.text, { border: 2 });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg viewBox={`0 0 ${size} ${size}`} width="120" height="120" role="img" aria-label={props.label}>
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

/** The batch of codes just made, one per device, laid out to print (the print CSS shows only it). */
function PrintableCodes(props: { codes: NewCodeAnswer[]; expires: string }) {
  const { locale } = useApp();
  const a = ADMIN_MESSAGES[locale];
  return (
    <div className="print-sheet" data-testid="printable-codes">
      <div className="row no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {a.print}
        </button>
      </div>
      <h3 className="print-only">{a.printTitle}</h3>
      <p className="hint">{a.printHelp}</p>
      <ol className="code-sheet">
        {props.codes.map((code) => (
          <li key={code.id}>
            <QrCode text={code.code} label={`${a.codeLabel} ${code.code}`} />
            <strong className="code-text">{code.code}</strong>
            <span className="hint">{props.expires}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function EnrollmentCodes() {
  const { t, locale, session } = useApp();
  const a = ADMIN_MESSAGES[locale];
  const [agentIds, setAgentIds] = useState('');
  const [ttl, setTtl] = useState<(typeof TTL_CHOICES)[number]>('60');
  const [codeFor, setCodeFor] = useState<CodeFor>('one');
  const [devices, setDevices] = useState(10);
  const [batch, setBatch] = useState<{ codes: NewCodeAnswer[]; expires: string }>();
  const when = (iso: string) => new Date(iso).toLocaleString(locale);
  const codeState = (code: EnrollmentCode) =>
    code.usedAt ? 'used' : Date.parse(code.expiresAt) <= Date.now() ? 'expired' : 'open';
  const create = (api: CreateApi) => {
    const submit = (event: FormEvent) => {
      event.preventDefault();
      const ids = agentIds
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      const fields = { ttlMinutes: Number(ttl), ...(ids.length > 0 ? { agentIds: ids } : {}) };
      api.act(async () => {
        setBatch(undefined);
        if (codeFor === 'batch') {
          const answer = await api.call<NewCodesAnswer>('/api/v1/enrollment-codes/batch', {
            body: { ...fields, count: devices },
          });
          const expires = when(answer.codes[0]!.expiresAt);
          setBatch({ codes: answer.codes, expires });
          setAgentIds('');
          return { testId: 'created-codes', once: true, note: <p>{a.batchCreated(devices, expires)}</p> };
        }
        const maxUses = codeFor === 'many' ? devices : 1;
        const answer = await api.call<NewCodeAnswer>('/api/v1/enrollment-codes', {
          body: { ...fields, maxUses },
        });
        setAgentIds('');
        return {
          testId: 'created-code',
          once: true,
          note: (
            <>
              <p>{a.codeCreated(answer.code, answer.maxUses, when(answer.expiresAt))}</p>
              <p>
                <strong>{a.shownOnce}</strong>
              </p>
            </>
          ),
          fields: [{ label: a.codeLabel, value: answer.code, testId: 'code-value' }],
        };
      });
    };
    return (
      <fieldset disabled={api.disabled} aria-describedby={api.disabled ? api.reasonId : undefined}>
        <legend className="visually-hidden">{t.codeCreate}</legend>
        <form className="row" onSubmit={submit} aria-label={t.codeCreate}>
          <label>
            {a.codeFor}
            <select value={codeFor} onChange={(event) => setCodeFor(event.target.value as CodeFor)}>
              <option value="one">{a.codeForOne}</option>
              <option value="many">{a.codeForMany}</option>
              <option value="batch">{a.codeForBatch}</option>
            </select>
          </label>
          {codeFor !== 'one' && (
            <label>
              {codeFor === 'batch' ? a.codeCodes : a.codeDevices}
              <input
                type="number"
                required
                min={2}
                max={codeFor === 'batch' ? 500 : 10_000}
                value={devices}
                onChange={(event) => setDevices(Number(event.target.value))}
              />
            </label>
          )}
          <label>
            {a.codeTtl}
            <select value={ttl} onChange={(event) => setTtl(event.target.value as typeof ttl)}>
              {TTL_CHOICES.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {a.ttl[minutes]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {a.codeAgents}
            <input
              value={agentIds}
              onChange={(event) => setAgentIds(event.target.value)}
              aria-describedby="code-hint"
            />
          </label>
          <button type="submit" className="primary">
            {t.codeCreate}
          </button>
        </form>
        <p className="hint" id="code-hint">
          {a.codeAgentsHint}
        </p>
      </fieldset>
    );
  };
  return (
    <ManagedList<EnrollmentCode>
      id="codes"
      title={t.codesTitle}
      offlineReason={a.codesOffline}
      path="/api/v1/enrollment-codes"
      pick={pickCodes}
      create={create}
      columns={[
        { header: t.colAgents, cell: (code) => code.agentIds?.join(', ') ?? t.agentsAll },
        { header: t.colCreated, cell: (code) => when(code.createdAt) },
        { header: t.colExpires, cell: (code) => when(code.expiresAt) },
        { header: a.colUses, cell: (code) => a.codeUses(code.uses, code.maxUses) },
        { header: t.colState, cell: (code) => t.codeState[codeState(code)] },
      ]}
      action={(code, act, disabled) =>
        codeState(code) === 'open' && (
          <button
            type="button"
            className="link danger"
            disabled={disabled}
            onClick={() =>
              act(() =>
                apiCall(`/api/v1/enrollment-codes/${code.id}`, { method: 'DELETE', token: session.token }),
              )
            }
          >
            {t.codeWithdraw}
          </button>
        )
      }
    >
      {batch && <PrintableCodes {...batch} />}
    </ManagedList>
  );
}

// The lists' `pick`s live outside the components: one identity, so loading runs once per mount.
const pickCodes = (answer: unknown) => (answer as CodesAnswer).codes;
const pickDevices = (answer: unknown) => (answer as DevicesAnswer).devices;
const pickUsers = (answer: unknown) => (answer as UsersAnswer).users.filter((user) => !user.disabledAt);
const pickIntegrations = (answer: unknown) => (answer as IntegrationsAnswer).integrations;
const pickWebhooks = (answer: unknown) => (answer as WebhookSubscriptionsAnswer).subscriptions;

function Devices() {
  const { t, locale, session } = useApp();
  const a = ADMIN_MESSAGES[locale];
  const isAdmin = session.user.role === 'admin';
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(locale) : a.neverSeen);
  return (
    <ManagedList<Device>
      id="devices"
      title={t.devicesTitle}
      offlineReason={a.devicesOffline}
      path="/api/v1/devices"
      pick={pickDevices}
      columns={[
        { header: t.colName, cell: (device) => device.name },
        { header: t.colAgents, cell: (device) => device.agentIds?.join(', ') ?? t.agentsAll },
        { header: t.colEnrolled, cell: (device) => when(device.enrolledAt) },
        { header: a.colLastSeen, cell: (device) => when(device.lastSeenAt) },
        {
          header: a.colWaiting,
          cell: (device) =>
            device.eventsWaiting === null ? '—' : device.eventsWaiting.toLocaleString(locale),
        },
        { header: a.colVersion, cell: (device) => device.version ?? '—' },
        // One meaning for every role: whether its token works. Revoking is an action, for admins.
        {
          header: t.colState,
          cell: (device) => (device.revokedAt ? a.deviceRevokedOn(when(device.revokedAt)) : a.deviceActive),
        },
      ]}
      action={
        isAdmin
          ? (device, act, disabled) =>
              !device.revokedAt && (
                <button
                  type="button"
                  className="link danger"
                  disabled={disabled}
                  aria-label={`${t.deviceRevoke} ${device.name}`}
                  onClick={() =>
                    act(() =>
                      apiCall(`/api/v1/devices/${device.id}/revoke`, {
                        method: 'POST',
                        body: {},
                        token: session.token,
                      }),
                    )
                  }
                >
                  {t.deviceRevoke}
                </button>
              )
          : undefined
      }
    />
  );
}

function Users() {
  const { t, locale, session } = useApp();
  const a = ADMIN_MESSAGES[locale];
  const [newUser, setNewUser] = useState({ email: '', password: '', role: 'supervisor' as Role });
  const create = (api: CreateApi) => {
    const submit = (event: FormEvent) => {
      event.preventDefault();
      api.act(async () => {
        await api.call('/api/v1/users', { body: newUser });
        setNewUser({ email: '', password: '', role: 'supervisor' });
        return undefined;
      });
    };
    return (
      <fieldset disabled={api.disabled} aria-describedby={api.disabled ? api.reasonId : undefined}>
        <legend className="visually-hidden">{t.userCreate}</legend>
        <form className="row" onSubmit={submit} aria-label={t.userCreate}>
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
      </fieldset>
    );
  };
  return (
    <ManagedList<User>
      id="users"
      title={t.usersTitle}
      offlineReason={a.usersOffline}
      path="/api/v1/users"
      pick={pickUsers}
      create={create}
      columns={[
        { header: t.colEmail, cell: (user) => user.email },
        { header: t.userRole, cell: (user) => (user.role === 'admin' ? t.roleAdmin : t.roleSupervisor) },
        { header: t.colCreated, cell: (user) => new Date(user.createdAt).toLocaleString(locale) },
      ]}
      action={(user, act, disabled) =>
        user.id !== session.user.id && (
          <DeleteButton
            label={t.userRemove}
            name={user.email}
            disabled={disabled}
            onDelete={() =>
              act(() => apiCall(`/api/v1/users/${user.id}`, { method: 'DELETE', token: session.token }))
            }
          />
        )
      }
    />
  );
}

/**
 * Admin → Integrations: a WhatsApp Business account's webhook (the callback URL and verify token
 * to paste into Meta's app settings) and API tokens (shown once).
 */
function Integrations() {
  const { t, locale, session } = useApp();
  const [whatsApp, setWhatsApp] = useState({ name: '', appSecret: '', verifyToken: '' });
  const [apiName, setApiName] = useState('');
  const create = (api: CreateApi) => {
    const connect = (event: FormEvent) => {
      event.preventDefault();
      api.act(async () => {
        const answer = await api.call<NewIntegrationAnswer>('/api/v1/integrations', {
          body: { provider: 'whatsapp-cloud', ...whatsApp },
        });
        const verifyToken = whatsApp.verifyToken;
        setWhatsApp({ name: '', appSecret: '', verifyToken: '' });
        return {
          testId: 'whatsapp-connected',
          note: <p>{t.integrationPasteInMeta}</p>,
          fields: [
            {
              label: t.integrationWebhookUrl,
              value: `${location.origin}${answer.integration.webhookPath ?? ''}`,
              testId: 'webhook-url',
            },
            { label: t.integrationVerifyToken, value: verifyToken, testId: 'verify-token' },
          ],
        };
      });
    };
    const createToken = (event: FormEvent) => {
      event.preventDefault();
      api.act(async () => {
        const answer = await api.call<Required<NewIntegrationAnswer>>('/api/v1/integrations', {
          body: { provider: 'api', name: apiName },
        });
        setApiName('');
        return {
          testId: 'api-token-created',
          once: true,
          note: <p>{t.integrationTokenOnce}</p>,
          fields: [{ label: t.integrationApi, value: answer.token, testId: 'api-token' }],
        };
      });
    };
    const describedBy = api.disabled ? api.reasonId : undefined;
    return (
      <>
        <fieldset disabled={api.disabled} aria-describedby={describedBy}>
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
        <fieldset disabled={api.disabled} aria-describedby={describedBy}>
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
      </>
    );
  };
  return (
    <ManagedList<Integration>
      id="integrations"
      title={t.integrationsTitle}
      intro={t.integrationsIntro}
      offlineReason={t.integrationsOffline}
      path="/api/v1/integrations"
      pick={pickIntegrations}
      create={create}
      columns={[
        { header: t.colName, cell: (integration) => integration.name },
        {
          header: t.integrationProvider,
          cell: (integration) => (integration.provider === 'api' ? t.integrationApi : t.integrationWhatsApp),
        },
        {
          header: t.colCreated,
          cell: (integration) => new Date(integration.createdAt).toLocaleString(locale),
        },
      ]}
      action={(integration, act, disabled) => (
        <DeleteButton
          label={t.integrationDelete}
          name={integration.name}
          question={t.integrationDeleteConfirm(integration.name)}
          disabled={disabled}
          onDelete={() =>
            act(() =>
              apiCall(`/api/v1/integrations/${integration.id}`, { method: 'DELETE', token: session.token }),
            )
          }
        />
      )}
    />
  );
}

/**
 * Admin → Webhooks: URLs the server posts events to, signed with a secret shown once at
 * subscription (docs/integrations.md "Outbound webhooks"), each with its latest delivery.
 */
function Webhooks() {
  const { t, locale, session } = useApp();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([]);
  const toggle = (type: WebhookEventType, on: boolean) =>
    setEvents((chosen) => (on ? [...chosen, type] : chosen.filter((other) => other !== type)));
  const lastDelivery = (subscription: WebhookSubscription) => {
    const last = subscription.lastDelivery;
    if (!last) return '—';
    const answer = last.httpStatus === null ? '' : ` (HTTP ${last.httpStatus})`;
    return (
      <span title={last.error ?? undefined}>
        {`${t.webhookState[last.state]}${answer} · ${t.webhookEvent[last.eventType]} · ${new Date(last.at).toLocaleString(locale)}`}
      </span>
    );
  };
  const create = (api: CreateApi) => {
    const subscribe = (event: FormEvent) => {
      event.preventDefault();
      api.act(async () => {
        const answer = await api.call<NewWebhookSubscriptionAnswer>('/api/v1/webhooks', {
          body: { url, events },
        });
        setUrl('');
        setEvents([]);
        return {
          testId: 'webhook-created',
          once: true,
          note: <p>{t.webhookSecretOnce}</p>,
          fields: [{ label: t.webhookSecret, value: answer.secret, testId: 'webhook-secret' }],
        };
      });
    };
    return (
      <fieldset disabled={api.disabled} aria-describedby={api.disabled ? api.reasonId : undefined}>
        <legend className="visually-hidden">{t.webhookSubscribe}</legend>
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
          <fieldset className="formats">
            <legend>{t.webhookEvents}</legend>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="inline">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(e) => toggle(type, e.target.checked)}
                />
                {t.webhookEvent[type]}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={events.length === 0}>
            {t.webhookSubscribe}
          </button>
        </form>
      </fieldset>
    );
  };
  return (
    <ManagedList<WebhookSubscription>
      id="webhooks"
      title={t.webhooksTitle}
      intro={t.webhooksIntro}
      offlineReason={t.webhooksOffline}
      path="/api/v1/webhooks"
      pick={pickWebhooks}
      create={create}
      columns={[
        { header: t.webhookUrl, cell: (subscription) => subscription.url },
        {
          header: t.webhookEvents,
          cell: (subscription) => subscription.events.map((type) => t.webhookEvent[type]).join(', '),
        },
        { header: t.webhookLastDelivery, cell: lastDelivery },
      ]}
      action={(subscription, act, disabled) => (
        <DeleteButton
          label={t.integrationDelete}
          name={subscription.url}
          question={t.webhookDeleteConfirm(subscription.url)}
          disabled={disabled}
          onDelete={() =>
            act(() =>
              apiCall(`/api/v1/webhooks/${subscription.id}`, { method: 'DELETE', token: session.token }),
            )
          }
        />
      )}
    />
  );
}

/** Enrollment codes, devices and (for admins) users, integrations and webhooks of the tenant. */
export default function Admin() {
  const { t, session } = useApp();
  const isAdmin = session.user.role === 'admin';
  return (
    <div className="admin">
      <h1 className="no-print">{t.adminTitle}</h1>
      <EnrollmentCodes />
      <div className="no-print">
        <Devices />
        {isAdmin ? (
          <Users />
        ) : (
          <section className="panel" aria-labelledby="users-title">
            <h2 id="users-title">{t.usersTitle}</h2>
            <p className="hint">{t.adminOnly}</p>
          </section>
        )}
        {isAdmin && <Integrations />}
        {isAdmin && <Webhooks />}
      </div>
    </div>
  );
}
