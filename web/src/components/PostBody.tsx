import { useId, useLayoutEffect, useRef, useState } from 'react';

/** A post's text, clamped to a few lines with "Read more" when it is longer. */
export function PostBody({ text }: { text: string }) {
  const id = useId();
  const ref = useRef<HTMLParagraphElement>(null);
  const [expanded, setExpanded] = useState(false);
  const [overflows, setOverflows] = useState(false);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || expanded) return;
    const measure = () => setOverflows(el.scrollHeight > el.clientHeight + 1);
    measure();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    return () => ro?.disconnect();
  }, [text, expanded]);

  return (
    <>
      <p id={id} ref={ref} className={`post-body${expanded ? '' : ' clamped'}`}>
        {text}
      </p>
      {(overflows || expanded) && (
        <button
          type="button"
          className="btn-link read-more"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((x) => !x)}
        >
          {expanded ? 'Show less' : 'Read more'}
        </button>
      )}
    </>
  );
}
