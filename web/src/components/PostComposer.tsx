import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api';
import type { Post } from '../api';
import { useApi } from '../auth/context';
import { POST_BODY_MAX, POST_TITLE_MAX, fieldsFromServer, validatePost } from '../lib/validation';
import type { FieldErrors, PostField } from '../lib/validation';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';

const SERVER_WORDS: Record<PostField, string> = {
  title: `Give your post a title of at most ${POST_TITLE_MAX} characters.`,
  body: `A post can have at most ${POST_BODY_MAX.toLocaleString('en')} characters.`,
};

/** Title and body, checked with the server's rules before sending; the body has a counter. */
export function PostComposer({ onCreated }: { onCreated: (post: Post) => void }) {
  const api = useApi();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors<PostField>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [announce, setAnnounce] = useState('');
  const formRef = useRef<HTMLFormElement>(null);

  const focusField = (found: FieldErrors<PostField>) => {
    const first = (['title', 'body'] as const).find((f) => found[f]);
    if (first) setTimeout(() => formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFormError(null);
    setAnnounce('');
    const found = validatePost({ title, body });
    setErrors(found);
    if (Object.keys(found).length) {
      focusField(found);
      return;
    }
    setBusy(true);
    try {
      const post = await api.createPost({ title: title.trim(), body: body.trim() });
      onCreated(post);
      setTitle('');
      setBody('');
      setAnnounce(`Published “${post.title}”.`);
      // Back to the title for the next post: the button that was pressed stays where it is.
      formRef.current?.querySelector<HTMLElement>('[name="title"]')?.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        const { fields, unmatched } = fieldsFromServer(err.message, SERVER_WORDS);
        setErrors(fields);
        focusField(fields);
        if (unmatched || !Object.keys(fields).length)
          setFormError('The post could not be published. Check it and try again.');
      } else {
        setFormError((err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label="Title"
        name="title"
        value={title}
        onChange={(e) => {
          setTitle(e.target.value);
          if (errors.title) setErrors({ ...errors, title: undefined });
        }}
        required
        maxLength={POST_TITLE_MAX}
        error={errors.title}
      />
      <Field
        multiline
        label="Body"
        name="body"
        rows={4}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          if (errors.body) setErrors({ ...errors, body: undefined });
        }}
        required
        maxLength={POST_BODY_MAX}
        counter
        error={errors.body}
      />
      <ErrorMessage error={formError} />
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      <button type="submit" className="btn btn-primary" aria-busy={busy || undefined}>
        Publish post
      </button>
    </form>
  );
}
