import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { CreatorProfile } from '../api';
import { useApi } from '../auth/context';
import { ErrorMessage } from './ErrorMessage';

interface Props {
  profile: CreatorProfile | null;
  defaultName: string;
  onSaved: (profile: CreatorProfile) => void;
}

export function ProfileForm({ profile, defaultName, onSaved }: Props) {
  const api = useApi();
  const ids = { handle: useId(), hint: useId(), name: useId(), bio: useId() };
  const [handle, setHandle] = useState(profile?.handle ?? '');
  const [displayName, setDisplayName] = useState(profile?.displayName ?? defaultName);
  const [bio, setBio] = useState(profile?.bio ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    // The server has the last word on the handle (400 invalid, 409 taken); its message is shown.
    setBusy(true);
    try {
      const body = { handle: handle.trim(), displayName: displayName.trim(), ...(bio.trim() ? { bio: bio.trim() } : {}) };
      const result = await api.saveProfile(body);
      setHandle(result.handle);
      setSaved(true);
      onSaved(result);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={ids.handle}>Handle</label>
        <input
          id={ids.handle}
          name="handle"
          value={handle}
          onChange={(e) => setHandle(e.target.value)}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={30}
          pattern="[a-z0-9_]{3,30}"
          aria-describedby={ids.hint}
        />
        <p id={ids.hint} className="hint">
          3–30 characters: a–z, 0–9 and _. Your page will be /c/{handle.trim() || 'handle'}.
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.name}>Display name</label>
        <input
          id={ids.name}
          name="displayName"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          required
          maxLength={80}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.bio}>Bio</label>
        <textarea id={ids.bio} name="bio" rows={3} value={bio} onChange={(e) => setBio(e.target.value)} maxLength={500} />
      </div>
      <ErrorMessage error={error} />
      {saved && (
        <p className="success" role="status">
          Profile saved.
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Save profile
      </button>
    </form>
  );
}
