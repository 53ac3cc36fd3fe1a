import { Routes } from '@angular/router';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Live signals · Signal Scanner',
    loadComponent: () => import('./features/live/live.page').then((m) => m.LivePage),
  },
  {
    path: 'signals/:id',
    title: 'Signal · Signal Scanner',
    loadComponent: () =>
      import('./features/signal-detail/signal-detail.page').then((m) => m.SignalDetailPage),
  },
  {
    path: 'history',
    title: 'History · Signal Scanner',
    loadComponent: () => import('./features/history/history.page').then((m) => m.HistoryPage),
  },
  {
    path: 'system',
    title: 'System · Signal Scanner',
    loadComponent: () => import('./features/system/system.page').then((m) => m.SystemPage),
  },
  { path: '**', redirectTo: '' },
];
