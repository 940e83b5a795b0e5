/**
 * The server's input rules (src/users/dto/creator-profile.dto.ts, src/posts/dto/create-post.dto.ts,
 * src/auth/dto/dev-login.dto.ts), checked in the browser first so each error shows at its field in
 * words a creator understands. The server still has the last word.
 */

export const HANDLE_PATTERN = /^[a-z0-9_]{3,30}$/;
export const HANDLE_MAX = 30;
export const DISPLAY_NAME_MAX = 80;
export const BIO_MAX = 1000;
export const POST_TITLE_MAX = 200;
export const POST_BODY_MAX = 20_000;
export const SIGN_IN_NAME_MAX = 60;

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** What a handle field holds as the creator types: lower case, no surrounding spaces. */
export function normalizeHandle(raw: string): string {
  return raw.trim().toLowerCase();
}

export function handleError(handle: string): string | undefined {
  if (!handle) return 'Choose a handle: it is the address of your page.';
  if (handle.length < 3) return 'A handle needs at least 3 characters.';
  if (handle.length > HANDLE_MAX) return `A handle can have at most ${HANDLE_MAX} characters.`;
  if (!HANDLE_PATTERN.test(handle)) return 'Use only letters a–z, digits 0–9 and the underscore _.';
  return undefined;
}

export type ProfileField = 'handle' | 'displayName' | 'bio';

export function validateProfile(p: {
  handle: string;
  displayName: string;
  bio: string;
}): FieldErrors<ProfileField> {
  const errors: FieldErrors<ProfileField> = {};
  const handle = handleError(p.handle);
  if (handle) errors.handle = handle;
  if (!p.displayName.trim()) errors.displayName = 'Enter the name your viewers will see.';
  else if (p.displayName.trim().length > DISPLAY_NAME_MAX)
    errors.displayName = `A display name can have at most ${DISPLAY_NAME_MAX} characters.`;
  if (p.bio.trim().length > BIO_MAX)
    errors.bio = `A bio can have at most ${BIO_MAX.toLocaleString('en')} characters.`;
  return errors;
}

export type PostField = 'title' | 'body';

export function validatePost(p: { title: string; body: string }): FieldErrors<PostField> {
  const errors: FieldErrors<PostField> = {};
  if (!p.title.trim()) errors.title = 'Give your post a title.';
  else if (p.title.trim().length > POST_TITLE_MAX)
    errors.title = `A title can have at most ${POST_TITLE_MAX} characters.`;
  if (!p.body.trim()) errors.body = 'Write something for your post.';
  else if (p.body.length > POST_BODY_MAX)
    errors.body = `A post can have at most ${POST_BODY_MAX.toLocaleString('en')} characters.`;
  return errors;
}

/**
 * Maps a 400 answer's validation lines ("displayName must be …; bio must be …") to the fields they name,
 * each in our own words (`words`), so raw validator text never reaches the creator.
 */
export function fieldsFromServer<K extends string>(
  message: string,
  words: Record<K, string>,
): { fields: FieldErrors<K>; unmatched: boolean } {
  const fields: FieldErrors<K> = {};
  let unmatched = false;
  for (const line of message.split(/;\s*/).filter(Boolean)) {
    const name = (Object.keys(words) as K[]).find(
      (k) => line.startsWith(`${k} `) || line.startsWith(`property ${k} `),
    );
    if (name) fields[name] = words[name];
    else unmatched = true;
  }
  return { fields, unmatched };
}
