import { RouterProvider } from '@tanstack/react-router';
import { bootApp } from '../shared/boot.tsx';
import { portalRouter } from './router.tsx';

bootApp('portal', () => <RouterProvider router={portalRouter} />);
