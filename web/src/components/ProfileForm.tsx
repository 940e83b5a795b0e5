import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api';
import type { CreatorProfile } from '../api';
import { useApi } from '../auth/context';
import {
  BIO_MAX,
  DISPLAY_NAME_MAX,
  HANDLE_MAX,
  HANDLE_PATTERN,
  fieldsFromServer,
  normalizeHandle,
  validateProfile,
} from '../lib/validation';
import type { FieldErrors, ProfileField } from '../lib/validation';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

interface Props {
  profile: CreatorProfile | null;
  defaultName: string;
  onSaved: (profile: CreatorProfile, allowDownloads: boolean) => void;
  /** Others may download this creator's recordings (issue 12). */
  allowDownloads?: boolean;
}

const SERVER_WORDS: Record<ProfileField, string> = {
  handle: 'Use 3–30 characters: letters a–z, digits 0–9 and the underscore _.',
  displayName: `Enter a display name of at most ${DISPLAY_NAME_MAX} characters.`,
  bio: `A bio can have at most ${BIO_MAX.toLocaleString('en')} characters.`,
};

export function ProfileForm({ profile, defaultName, onSaved, allowDownloads = false }: Props) {
  const api = useApi();
  const [handle, setHandle] = useState(profile?.handle ?? '');
  const [displayName, setDisplayName] = useState(profile?.displayName ?? defaultName);
  const [bio, setBio] = useState(profile?.bio ?? '');
  const [downloads, setDownloads] = useState(allowDownloads);
  const formId = useId();
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<ProfileField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  /** Moves focus to the first field with an error, after React rendered it. */
  const focusFirstError = (found: FieldErrors<ProfileField>) => {
    const first = (['handle', 'displayName', 'bio'] as const).find((f) => found[f]);
    if (first) setTimeout(() => formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setSaved(false);
    setFormError(null);
    const h = normalizeHandle(handle);
    const found = validateProfile({ handle: h, displayName, bio });
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirstError(found);
      return;
    }
    setBusy(true);
    try {
      const body = {
        handle: h,
        displayName: displayName.trim(),
        ...(bio.trim() ? { bio: bio.trim() } : {}),
        allowDownloads: downloads,
      };
      const result = await api.saveProfile(body);
      setHandle(result.handle);
      setSaved(true);
      onSaved(result, downloads);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      if (status === 409) {
        const taken = { handle: 'That handle is taken. Try another one.' };
        setErrors(taken);
        focusFirstError(taken);
      } else if (status === 400) {
        const { fields, unmatched } = fieldsFromServer((err as Error).message, SERVER_WORDS);
        setErrors(fields);
        focusFirstError(fields);
        if (unmatched || !Object.keys(fields).length)
          setFormError('The profile could not be saved. Check the fields and try again.');
      } else {
        setFormError((err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  const preview = HANDLE_PATTERN.test(handle) ? `/c/${handle}` : '/c/your_handle';

  return (
    <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label="Handle"
        name="handle"
        value={handle}
        onChange={(e) => {
          setHandle(e.target.value.toLowerCase().replace(/\s/g, ''));
          setSaved(false);
          if (errors.handle) setErrors({ ...errors, handle: undefined });
        }}
        onBlur={() =>
          handle &&
          setErrors((old) => ({
            ...old,
            handle: validateProfile({ handle, displayName: 'x', bio: '' }).handle,
          }))
        }
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={HANDLE_MAX}
        error={errors.handle}
        hint={`3–30 characters: a–z, 0–9 and _. Your page will be ${preview}.`}
      />
      <Field
        label="Display name"
        name="displayName"
        value={displayName}
        onChange={(e) => {
          setDisplayName(e.target.value);
          setSaved(false);
          if (errors.displayName) setErrors({ ...errors, displayName: undefined });
        }}
        required
        maxLength={DISPLAY_NAME_MAX}
        error={errors.displayName}
      />
      <Field
        multiline
        label="Bio"
        name="bio"
        rows={3}
        value={bio}
        onChange={(e) => {
          setBio(e.target.value);
          setSaved(false);
        }}
        maxLength={BIO_MAX}
        counter
        error={errors.bio}
      />
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            name="allowDownloads"
            aria-describedby={`${formId}-downloads-hint`}
            checked={downloads}
            onChange={(e) => {
              setDownloads(e.target.checked);
              setSaved(false);
            }}
          />
          Allow downloads
        </label>
        <p className="hint" id={`${formId}-downloads-hint`}>
          Anyone may download your recordings as MP4. You always can.
        </p>
      </div>
      <ErrorMessage error={formError} />
      <p className="success" role="status">
        {saved ? 'Profile saved.' : ''}
      </p>
      <button type="submit" className="btn btn-primary" aria-busy={busy || undefined}>
        Save profile
      </button>
    </form>
  );
}
