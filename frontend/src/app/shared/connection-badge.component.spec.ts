import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ConnectionBadgeComponent } from './connection-badge.component';

describe('ConnectionBadgeComponent', () => {
  let fixture: ComponentFixture<ConnectionBadgeComponent>;

  beforeEach(() => {
    fixture = TestBed.createComponent(ConnectionBadgeComponent);
  });

  function text(): string {
    return (fixture.nativeElement as HTMLElement).textContent?.trim() ?? '';
  }

  it('says connected when connected', async () => {
    fixture.componentRef.setInput('state', 'connected');
    await fixture.whenStable();
    expect(text()).toBe('connected');
    expect(fixture.nativeElement.querySelector('.badge').getAttribute('aria-label')).toBe(
      'Live feed connected',
    );
  });

  it('shows the attempt count while reconnecting', async () => {
    fixture.componentRef.setInput('state', 'reconnecting');
    fixture.componentRef.setInput('attempt', 3);
    await fixture.whenStable();
    expect(text()).toBe('reconnecting (attempt 3)');
  });

  it('says offline when the connection gave up', async () => {
    fixture.componentRef.setInput('state', 'offline');
    await fixture.whenStable();
    expect(text()).toBe('offline');
  });
});
