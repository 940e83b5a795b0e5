import { useId } from 'react';
import type { InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

interface Common {
  label: string;
  /** The error for this field, shown under it and tied to it with aria-describedby. */
  error?: string;
  hint?: ReactNode;
  /** Shows "n / max" under the field (with `maxLength`). */
  counter?: boolean;
}

type InputProps = Common & { multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;
type AreaProps = Common & { multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>;

/** A labelled input or textarea with its hint, its error (aria-invalid) and an optional counter. */
export function Field(props: InputProps | AreaProps) {
  const id = useId();
  const { label, error, hint, counter } = props;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const counterId = counter ? `${id}-count` : undefined;
  const describedBy = [errorId, hintId, counterId].filter(Boolean).join(' ') || undefined;
  const length = String(props.value ?? '').length;
  const max = props.maxLength;
  const a11y = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy } as const;

  let control;
  if (props.multiline) {
    const { label: _l, error: _e, hint: _h, counter: _c, multiline: _m, ...rest } = props;
    control = <textarea {...rest} {...a11y} />;
  } else {
    const { label: _l, error: _e, hint: _h, counter: _c, multiline: _m, ...rest } = props;
    control = <input {...rest} {...a11y} />;
  }

  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {counter && max != null && (
        <p id={counterId} className={`hint counter${length > max * 0.9 ? ' counter-near' : ''}`}>
          {length.toLocaleString('en')} / {max.toLocaleString('en')} characters
        </p>
      )}
    </div>
  );
}
