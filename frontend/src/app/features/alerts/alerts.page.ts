import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  ALERT_CHANNEL_TYPES,
  ALERT_EVENTS,
  ALERT_TEMPLATE_PLACEHOLDERS,
  type AlertChannelType,
  type AlertEvent,
  type AlertRule,
} from '@scanner/contracts';
import { MarketSymbolsStore } from '@app/core/market/market-symbols.store';
import { AdminKeyGateComponent } from '@app/shared/admin/admin-key-gate.component';
import {
  type ChannelDraft,
  conditionsText,
  deliveryText,
  draftOf,
  draftProblems,
  emptyChannel,
  emptyDraft,
  inputOf,
  type RuleDraft,
  symbolsText,
} from './alert-rule-form';
import { AlertsStore } from './alerts.store';

const EVENT_LABELS: Record<AlertEvent, string> = {
  created: 'Created',
  closed: 'Every close',
  outcome: 'Outcome (TP or SL hit)',
};

/** Alert rules behind the admin key: list, create, edit, delete, send a test, the delivery log. */
@Component({
  selector: 'app-alerts-page',
  imports: [AdminKeyGateComponent],
  providers: [AlertsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alerts.page.html',
  styleUrls: ['../../shared/admin/admin-page.css', './alerts.page.css'],
})
export class AlertsPage {
  protected readonly store = inject(AlertsStore);
  protected readonly market = inject(MarketSymbolsStore);

  /** undefined: no form open; null: a new rule; else the id of the rule being edited. */
  protected readonly editing = signal<string | null | undefined>(undefined);
  protected readonly draft = signal<RuleDraft>(emptyDraft());
  protected readonly problems = signal<string[]>([]);

  protected readonly events = ALERT_EVENTS;
  protected readonly eventLabels = EVENT_LABELS;
  protected readonly channelTypes = ALERT_CHANNEL_TYPES;
  protected readonly placeholders = ALERT_TEMPLATE_PLACEHOLDERS.map((name) => `{{${name}}}`).join(' ');
  protected readonly symbolsText = symbolsText;
  protected readonly conditionsText = conditionsText;
  protected readonly deliveryText = deliveryText;

  constructor() {
    this.market.ensureLoaded();
  }

  protected newRule(): void {
    this.draft.set(emptyDraft());
    this.problems.set([]);
    this.store.clearOutcome();
    this.editing.set(null);
  }

  protected edit(rule: AlertRule): void {
    this.draft.set(draftOf(rule));
    this.problems.set([]);
    this.store.clearOutcome();
    this.editing.set(rule.id);
  }

  protected cancel(): void {
    this.editing.set(undefined);
    this.problems.set([]);
  }

  protected patch(changes: Partial<RuleDraft>): void {
    this.draft.update((draft) => ({ ...draft, ...changes }));
  }

  protected text(event: Event): string {
    return (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
  }

  protected checked(event: Event): boolean {
    return (event.target as HTMLInputElement).checked;
  }

  protected toggleEvent(event: AlertEvent, on: boolean): void {
    this.draft.update((draft) => ({
      ...draft,
      events: on
        ? ALERT_EVENTS.filter((e) => e === event || draft.events.includes(e))
        : draft.events.filter((e) => e !== event),
    }));
  }

  protected patchChannel(index: number, changes: Partial<ChannelDraft>): void {
    this.draft.update((draft) => ({
      ...draft,
      channels: draft.channels.map((channel, i) => (i === index ? { ...channel, ...changes } : channel)),
    }));
  }

  protected addChannel(type: string): void {
    this.draft.update((draft) => ({
      ...draft,
      channels: [...draft.channels, emptyChannel(type as AlertChannelType)],
    }));
  }

  protected removeChannel(index: number): void {
    this.draft.update((draft) => ({ ...draft, channels: draft.channels.filter((_, i) => i !== index) }));
  }

  protected async save(): Promise<void> {
    const problems = draftProblems(this.draft());
    this.problems.set(problems);
    if (problems.length > 0) return;
    const id = this.editing();
    if (await this.store.save(id ?? null, inputOf(this.draft()))) this.editing.set(undefined);
  }

  protected async remove(rule: AlertRule): Promise<void> {
    if (!confirm(`Delete the alert rule “${rule.name}” and its delivery log?`)) return;
    await this.store.remove(rule);
  }

  protected showLog(rule: AlertRule): void {
    this.store.logRule.set(this.store.logRule()?.id === rule.id ? null : rule);
  }

  protected channelSummary(rule: AlertRule): string {
    return rule.channels.map((channel) => channel.type).join(', ');
  }

  protected lastAnswer(delivery: { log: { status: number; answer: string }[] }): string {
    const last = delivery.log.at(-1);
    return last === undefined ? '' : `${last.status === 0 ? '—' : last.status} ${last.answer}`.trim();
  }
}
