import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { RestreamTarget } from '../api';
import { useApi } from '../auth/context';
import { queryKeys, restreamTargetsQuery } from '../lib/queries';
import { MAX_TARGETS, NAME_MAX, maskedKey, validateTarget } from '../lib/restream';
import type { TargetField, TargetInput } from '../lib/restream';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

const EMPTY: TargetInput = { name: '', url: '', streamKey: '' };

/**
 * The dashboard's "Restream" section (issue 12): where each broadcast is also sent (YouTube, Twitch,
 * any RTMP server). Keys are write-only: the list shows only their last 4 characters.
 */
export function RestreamSection() {
  const api = useApi();
  const client = useQueryClient();
  const titleId = useId();
  const { data: targets, error: loadError } = useQuery(restreamTargetsQuery(api));
  const [input, setInput] = useState<TargetInput>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<TargetField, string>>>({});
  const [actionError, setActionError] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.restreamTargets() });

  const add = useMutation({
    mutationFn: (t: TargetInput) =>
      api.addRestreamTarget({ name: t.name.trim(), url: t.url.trim(), streamKey: t.streamKey.trim() }),
    onSuccess: async () => {
      setInput(EMPTY);
      await refresh();
    },
    onError: (e: Error) => setActionError(e.message),
  });
  const toggle = useMutation({
    mutationFn: (t: RestreamTarget) => api.setRestreamTargetEnabled(t.id, !t.enabled),
    onSuccess: refresh,
    onError: (e: Error) => setActionError(e.message),
  });
  const remove = useMutation({
    mutationFn: (t: RestreamTarget) => api.deleteRestreamTarget(t.id),
    onSuccess: refresh,
    onError: (e: Error) => setActionError(e.message),
  });

  const full = (targets?.length ?? 0) >= MAX_TARGETS;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setActionError(null);
    const found = validateTarget(input);
    setErrors(found);
    if (Object.keys(found).length || add.isPending) return;
    add.mutate(input);
  };
  const set = (field: TargetField) => (e: { target: { value: string } }) => {
    setInput({ ...input, [field]: e.target.value });
    if (errors[field]) setErrors({ ...errors, [field]: undefined });
  };

  return (
    <section className="card restream" aria-labelledby={titleId}>
      <h2 id={titleId}>Restream</h2>
      <p className="muted">
        Each broadcast also goes to these services, as it is: up to {MAX_TARGETS}. Stream keys are stored
        encrypted and never shown again.
      </p>
      <ErrorMessage error={loadError?.message ?? actionError} />
      {targets && targets.length === 0 && <p className="muted">No restream targets yet.</p>}
      {targets && targets.length > 0 && (
        <ul className="restream-list" aria-label="Restream targets">
          {targets.map((t) => (
            <li key={t.id} className="restream-item" data-target-id={t.id}>
              <div className="restream-info">
                <strong>{t.name}</strong>
                <span className="muted restream-url">{t.url}</span>
                <span className="muted">
                  Key <span aria-label={`ending in ${t.keyHint}`}>{maskedKey(t.keyHint)}</span>
                </span>
              </div>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={t.enabled}
                  disabled={toggle.isPending}
                  onChange={() => toggle.mutate(t)}
                  aria-label={`Enabled: ${t.name}`}
                />
                Enabled
              </label>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={remove.isPending}
                onClick={() => remove.mutate(t)}
                aria-label={`Delete ${t.name}`}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="form restream-form" onSubmit={submit} noValidate aria-label="Add a restream target">
        <Field
          label="Name"
          name="name"
          value={input.name}
          onChange={set('name')}
          maxLength={NAME_MAX}
          placeholder="YouTube"
          error={errors.name}
        />
        <Field
          label="RTMP URL"
          name="url"
          value={input.url}
          onChange={set('url')}
          placeholder="rtmp://a.rtmp.youtube.com/live2"
          autoCapitalize="none"
          spellCheck={false}
          error={errors.url}
        />
        <Field
          label="Stream key"
          name="streamKey"
          type="password"
          autoComplete="off"
          value={input.streamKey}
          onChange={set('streamKey')}
          error={errors.streamKey}
          hint="From the service's live dashboard. Sent only to that service."
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={full}
          aria-busy={add.isPending || undefined}
        >
          Add target
        </button>
        {full && <p className="muted">You have {MAX_TARGETS} targets: delete one to add another.</p>}
      </form>
    </section>
  );
}
