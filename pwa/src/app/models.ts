import { useLiveQuery } from 'dexie-react-hooks';
import type { ModelAnswer, ModelBody, ModelsAnswer, SharedModel } from '../../../shared/api/models.ts';
import type { ReportFilters } from '../../../shared/reports/filters.ts';
import type { LocalStore, SavedTemplate } from '../../../workers/local-store.ts';
import { apiCall } from './api.ts';
import type { Session } from './session.ts';

/**
 * The team's shared models (issue 13): fetched from the server into the local store, so they
 * apply offline once fetched. The list replaces the local copy whole: a model deleted by its
 * owner disappears here at the next fetch. Offline or refused, the copy is kept as it is.
 */
export async function refreshSharedModels(store: LocalStore, session: Session): Promise<void> {
  let answer: ModelsAnswer;
  try {
    answer = await apiCall<ModelsAnswer>('/api/v1/models', { token: session.token });
  } catch {
    return;
  }
  await store.transaction('rw', store.sharedModels, async () => {
    await store.sharedModels.clear();
    await store.sharedModels.bulkPut(answer.models);
  });
}

/** Shares a saved search with the team (the server refuses a name the report already has). */
export async function shareModel(store: LocalStore, session: Session, body: ModelBody): Promise<void> {
  const same = (await store.sharedModels.where('reportId').equals(body.reportId).toArray()).find(
    (model) => model.name === body.name,
  );
  // Saving again under one's own model's name updates it, as saving a personal one does.
  if (same && mayChange(session, same))
    await apiCall<ModelAnswer>(`/api/v1/models/${encodeURIComponent(same.id)}`, {
      method: 'PUT',
      token: session.token,
      body,
    });
  else await apiCall<ModelAnswer>('/api/v1/models', { token: session.token, body });
  await refreshSharedModels(store, session);
}

/** Whether this person may change or delete a shared model: who shared it, or an admin. */
export function mayChange(session: Session, model: SharedModel): boolean {
  return session.user.role === 'admin' || model.createdBy.id === session.user.id;
}

/** A saved search as the form lists it: a personal one (this machine) or the team's. */
export type SavedSearch = SavedTemplate & {
  key: string;
  /** Set for the team's: who shared it, and whether this person may delete it. */
  shared?: { by: string; mayDelete: boolean };
  remove(): Promise<void>;
};

/** The personal and shared saved searches of a report, personal first, each by name. */
export function useSavedSearches(store: LocalStore, session: Session, reportId: string): SavedSearch[] {
  return useLiveQuery(
    async () => {
      const personal = await store.templates.where('reportId').equals(reportId).toArray();
      const shared = await store.sharedModels.where('reportId').equals(reportId).toArray();
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      return [
        ...personal.sort(byName).map(
          (template): SavedSearch => ({
            ...template,
            key: `local:${template.id}`,
            remove: () => store.templates.delete(template.id!),
          }),
        ),
        ...shared.sort(byName).map(
          (model): SavedSearch => ({
            name: model.name,
            reportId: model.reportId,
            filters: model.filters as ReportFilters,
            ...(model.relativeDays === undefined ? {} : { relativeDays: model.relativeDays }),
            key: `shared:${model.id}`,
            shared: { by: model.createdBy.email, mayDelete: mayChange(session, model) },
            remove: async () => {
              await apiCall(`/api/v1/models/${encodeURIComponent(model.id)}`, {
                method: 'DELETE',
                token: session.token,
              });
              await refreshSharedModels(store, session);
            },
          }),
        ),
      ];
    },
    [store, session, reportId],
    [],
  );
}
