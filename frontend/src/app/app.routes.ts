import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    title: 'Live signals · Signal Scanner',
    loadComponent: () => import('./features/dashboard/dashboard.page').then((m) => m.DashboardPage),
  },
  { path: '**', redirectTo: '' },
];
