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
    path: 'matrix',
    title: 'Market matrix · Signal Scanner',
    loadComponent: () => import('./features/matrix/matrix.page').then((m) => m.MatrixPage),
  },
  {
    path: 'system',
    title: 'System · Signal Scanner',
    loadComponent: () => import('./features/system/system.page').then((m) => m.SystemPage),
  },
  {
    path: 'alerts',
    title: 'Alerts · Signal Scanner',
    loadComponent: () => import('./features/alerts/alerts.page').then((m) => m.AlertsPage),
  },
  {
    path: 'research',
    title: 'Research · Signal Scanner',
    loadComponent: () => import('./features/research/research.page').then((m) => m.ResearchPage),
  },
  { path: '**', redirectTo: '' },
];
