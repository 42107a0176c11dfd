import { RouterProvider } from '@tanstack/react-router';
import { bootApp } from '../shared/boot.tsx';
import { portalRouter } from './router.tsx';

// The session gate sits on the signed-in routes (root-route.tsx): the public pages render without one.
bootApp('portal', () => <RouterProvider router={portalRouter} />, { sessionGate: 'routes' });
