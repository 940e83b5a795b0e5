import { Link } from '../lib/router';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <section className="card empty">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the home feed</Link>
      </p>
    </section>
  );
}
