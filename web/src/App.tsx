import { GoLiveProvider } from './components/GoLiveContext';
import { Header } from './components/Header';
import { useFocusOnNavigate } from './hooks/useFocusOnNavigate';
import { useRouter } from './lib/router';
import { CreatorPage } from './pages/CreatorPage';
import { DashboardPage } from './pages/DashboardPage';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';

export function App() {
  const { route, location } = useRouter();
  useFocusOnNavigate(location.pathname);
  let page;
  switch (route.name) {
    case 'home':
      page = <HomePage />;
      break;
    case 'sign-in':
      page = <SignInPage />;
      break;
    case 'dashboard':
      page = <DashboardPage />;
      break;
    case 'creator':
      page = <CreatorPage key={route.handle} handle={route.handle} />;
      break;
    case 'not-found':
      page = <NotFoundPage />;
      break;
  }
  return (
    <GoLiveProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main" className="container" tabIndex={-1}>
        {page}
      </main>
    </GoLiveProvider>
  );
}
