import { Pipe, PipeTransform } from '@angular/core';
import { formatAge } from './age-format';
import { formatR, formatSignedPercent } from './percent-format';
import { formatPrice } from './price-format';

/** `{{ price | price: decimals }}` */
@Pipe({ name: 'price' })
export class PricePipe implements PipeTransform {
  transform(value: number | null | undefined, decimals: number): string {
    return formatPrice(value, decimals);
  }
}

/** `{{ change | signedPercent }}` */
@Pipe({ name: 'signedPercent' })
export class SignedPercentPipe implements PipeTransform {
  transform(value: number | null | undefined, decimals = 2): string {
    return formatSignedPercent(value, decimals);
  }
}

/** `{{ createdAt | age: clock.marketNow() }}` — pure: re-evaluated when the now argument changes. */
@Pipe({ name: 'age' })
export class AgePipe implements PipeTransform {
  transform(iso: string | null | undefined, nowMs: number): string {
    return formatAge(iso, nowMs);
  }
}

/** `{{ outcomeR | rMultiple }}` */
@Pipe({ name: 'rMultiple' })
export class RMultiplePipe implements PipeTransform {
  transform(value: number | null | undefined): string {
    return formatR(value);
  }
}
