import { ComponentFixture, TestBed } from '@angular/core/testing';
import { AdminKeyService } from '@app/core/admin/admin-key.service';
import { AdminKeyGateComponent } from './admin-key-gate.component';

describe('AdminKeyGateComponent', () => {
  let fixture: ComponentFixture<AdminKeyGateComponent>;

  beforeEach(async () => {
    fixture = TestBed.createComponent(AdminKeyGateComponent);
    fixture.componentRef.setInput('name', 'alerts');
    await fixture.whenStable();
  });

  afterEach(() => TestBed.inject(AdminKeyService).clear());

  function field(): HTMLInputElement {
    return (fixture.nativeElement as HTMLElement).querySelector('[data-testid="alerts-admin-key"]')!;
  }

  it('names its field and title after the page', () => {
    const root = fixture.nativeElement as HTMLElement;
    expect(field().id).toBe('alerts-admin-key');
    expect(root.querySelector('label')!.getAttribute('for')).toBe('alerts-admin-key');
    expect(root.querySelector('section')!.getAttribute('aria-labelledby')).toBe('alerts-key-title');
    expect(root.querySelector('h2')!.id).toBe('alerts-key-title');
  });

  it('hands the typed key (trimmed) to the admin key service and empties the field', () => {
    field().value = '  secret-key  ';
    (fixture.nativeElement as HTMLElement).querySelector('form')!.dispatchEvent(new Event('submit'));
    expect(TestBed.inject(AdminKeyService).key()).toBe('secret-key');
    expect(field().value).toBe('');
  });
});
