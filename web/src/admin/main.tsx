import { RouterProvider } from '@tanstack/react-router';
import { bootApp } from '../shared/boot.tsx';
import { adminRouter } from './router.tsx';

bootApp('admin', () => <RouterProvider router={adminRouter} />);
